/** The kind name of a click model, as recorded in the model registry. */
import { FieldAwareFM } from '../models/ffm';
import { FactorizationMachine } from '../models/fm';
import type { Learner } from '../models/learner';

export type CtrModelKind = 'lr' | 'fm' | 'ffm';

export const kindOf = (m: Learner): CtrModelKind =>
  m instanceof FieldAwareFM ? 'ffm' : m instanceof FactorizationMachine ? 'fm' : 'lr';
