/** The registry of cloud functions: the local host serves these and the build deploys these. */
import type { FunctionName } from '../../typings';
import type { FunctionDef } from '../runtime/function';
import account from './account';
import content from './content';
import csmessage from './csmessage';
import merchant from './merchant';
import pay from './pay';
import payNotify from './payNotify';
import recommend from './recommend';
import support from './support';
import track from './track';
import train from './train';

export const functions: { [N in FunctionName]: FunctionDef<N> } = {
  recommend,
  track,
  train,
  account,
  merchant,
  content,
  support,
  csmessage,
  pay,
  payNotify,
};

export const functionNames = Object.keys(functions) as FunctionName[];
