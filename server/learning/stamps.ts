/**
 * Revision stamps on the documents a training run derives (profiles, neighbour lists). Each
 * write records the checkpoint revision it belongs to and the committed document it replaces, so
 * when a run dies between those writes and its checkpoint, the rerun (which reads the same events
 * again from the old checkpoint) starts from the replaced document and counts nothing twice.
 */

export interface TrainStamp<T> {
  /** Checkpoint revision of the run that wrote the document. */
  trainRev?: number;
  /** The committed document this one replaced (null: none); read instead while `trainRev` is uncommitted. */
  before?: T | null;
}

export class StampedDocs<T extends object> {
  /** Committed state per id, as first loaded by this run (null: none stored). */
  private readonly bases = new Map<string, T | null>();

  constructor(
    private readonly idOf: (doc: T) => string,
    /** The checkpoint revision the run starts from; its writes are stamped rev + 1. */
    private readonly rev: number,
  ) {}

  /** The committed documents among `stored` (asked for `ids`), each remembered as what the run's write replaces. */
  committed(ids: readonly string[], stored: ReadonlyArray<T & TrainStamp<T>>): T[] {
    const byId = new Map(stored.map((d) => [this.idOf(d), d]));
    const out: T[] = [];
    for (const id of ids) {
      if (this.bases.has(id)) continue;
      const doc = byId.get(id);
      const base = !doc
        ? null
        : (doc.trainRev ?? 0) > this.rev
          ? (doc.before ?? null)
          : withoutBefore(doc);
      this.bases.set(id, base);
      if (base) out.push(base);
    }
    return out;
  }

  /** The documents to write, stamped with the run's revision and what they replace (never loaded: null). */
  stamp(docs: readonly T[]): Array<T & TrainStamp<T>> {
    return docs.map((d) => ({
      ...withoutBefore(d),
      trainRev: this.rev + 1,
      before: this.bases.get(this.idOf(d)) ?? null,
    }));
  }
}

/** One level of history is enough: the replaced document never carries its own. */
function withoutBefore<T extends object>(doc: T & TrainStamp<T>): T {
  const copy = { ...doc };
  delete copy.before;
  return copy;
}
