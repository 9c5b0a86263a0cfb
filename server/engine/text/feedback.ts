/**
 * What users said of the answers, remembered per answer: a logistic regression (FTRL-Proximal,
 * McMahan et al. 2013) over the answer's id and its crosses with the question's words, learned
 * from verdicts (有用 = 1; 没用, 转人工, asked again = 0). Its output without the shared bias is a
 * shift of the answer's logit, so with no feedback nothing moves.
 */
import { hashToken } from '../features/hash';
import { FeatureVector } from '../features/vector';
import type { FtrlParams } from '../models/ftrl';
import { clampLogit, sigmoid } from '../models/learner';
import { LogisticRegression } from '../models/logistic';

const BITS = 18;
/** Strong L2: a handful of verdicts nudges an answer, it takes many to bury it. */
const FTRL: FtrlParams = { alpha: 0.1, beta: 1, l1: 0, l2: 2 };

export class FeedbackModel {
  private readonly model = LogisticRegression.create(BITS, FTRL);
  private readonly x = new FeatureVector(32);

  private features(words: readonly string[], answerId: string): FeatureVector {
    const mask = 2 ** BITS - 1;
    this.x.clear().push(hashToken(`a:${answerId}`) & mask, 0);
    for (const w of new Set(words)) this.x.push(hashToken(`aw:${answerId}|${w}`) & mask, 1);
    return this.x;
  }

  learn(words: readonly string[], answerId: string, label: 0 | 1): void {
    this.model.learn(this.features(words, answerId), label);
  }

  /** The logit shift feedback gives the answer for a question with these words (0 without feedback). */
  shift(words: readonly string[], answerId: string): number {
    const m = this.model;
    return m.logit(this.features(words, answerId)) - m.opt.weight(m.buckets);
  }
}

/** p moved by a logit shift. */
export function shifted(p: number, shift: number): number {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return sigmoid(clampLogit(Math.log(q / (1 - q)) + shift));
}
