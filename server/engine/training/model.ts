/** Loads a click-model blob of either kind; a damaged blob throws ModelBlobError and loads nothing. */
import { ModelBlobError } from '../models/blob';
import { FactorizationMachine } from '../models/fm';
import type { Learner } from '../models/learner';
import { LogisticRegression } from '../models/logistic';

export type CtrModelKind = 'lr' | 'fm';

export function loadCtrModel(blob: Uint8Array): { model: Learner; kind: CtrModelKind } {
  try {
    return { model: LogisticRegression.load(blob), kind: 'lr' };
  } catch (err) {
    // Checksum and length are verified before the kind, so only an intact FM blob reaches here.
    if (!(err instanceof ModelBlobError) || err.code !== 'MODEL_KIND') throw err;
    return { model: FactorizationMachine.load(blob), kind: 'fm' };
  }
}

export const kindOf = (m: Learner): CtrModelKind => (m instanceof FactorizationMachine ? 'fm' : 'lr');
