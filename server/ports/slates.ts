/** Slate log port: every feed response served, with its cards' positions, scores and propensities. */
import type { ServedSlate, SlateCard } from '../engine/records';

export type { ServedSlate, SlateCard };

export interface SlateLog {
  /** Stores a slate; a slate id already stored is kept as it was (returns false). */
  append(slate: ServedSlate): Promise<boolean>;
  /** Slates by id; unknown ids are left out (order not guaranteed). */
  get(slateIds: string[]): Promise<ServedSlate[]>;
}
