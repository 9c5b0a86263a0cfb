/** Checkpoint port: where a resumable job (train) stopped, saved with compare-and-set on a revision. */

export interface Checkpoint {
  name: string;
  /** Incremented by every save; a save naming a stale revision is refused. */
  rev: number;
  /** Event-log cursor after the last event this job has consumed. */
  cursor: string | null;
  /** Model version the trainer continues from (null: start a fresh model). */
  head: string | null;
  /** Blob holding the job's pending state (e.g. impressions still waiting for clicks). */
  stateKey: string | null;
  /** Versions issued so far (names the next one). */
  versions: number;
  updatedAt: number;
}

export interface Checkpoints {
  get(name: string): Promise<Checkpoint | null>;
  /**
   * Saves `next` (whose rev must be expectedRev + 1) only if the stored revision is
   * `expectedRev` (0: none stored yet). Returns false, changing nothing, otherwise.
   */
  save(next: Checkpoint, expectedRev: number): Promise<boolean>;
}
