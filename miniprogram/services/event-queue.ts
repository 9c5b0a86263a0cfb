/** The tracker's bounded event queue, persisted under one wx storage key so it survives a kill. */
import type { TrackedEvent } from '../../typings';

/** The wx storage calls the queue uses (wx itself satisfies it). */
export interface QueueStorage {
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, data: unknown): void;
  removeStorageSync(key: string): void;
}

interface Persisted {
  v: 1;
  events: TrackedEvent[];
  dropped: number;
}

export const QUEUE_KEY = 'tracker:queue';

export class EventQueue {
  private events: TrackedEvent[] = [];
  /** Events lost on this device (overflow, permanently refused) not yet reported to the server. */
  private lost = 0;

  constructor(
    private readonly storage: QueueStorage,
    private readonly max: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.restore();
  }

  get length(): number {
    return this.events.length;
  }

  get dropped(): number {
    return this.lost;
  }

  head(n: number): TrackedEvent[] {
    return this.events.slice(0, n);
  }

  /** Appends; when full, drops the oldest event that is not `busy` (in flight) and counts it. */
  push(event: TrackedEvent, busy: ReadonlySet<string>): void {
    this.events.push(event);
    while (this.events.length > this.max) {
      const i = this.events.findIndex((e) => !busy.has(e.eventId));
      this.events.splice(i, 1); // i = -1 (all older ones in flight) drops the newest
      this.lost += 1;
    }
    this.save();
  }

  /** Removes events by id: drops may have shifted positions since the ids were taken. */
  remove(ids: ReadonlySet<string>): void {
    this.events = this.events.filter((e) => !ids.has(e.eventId));
    this.save();
  }

  countLost(n: number): void {
    this.lost += n;
    this.save();
  }

  /** The server has heard about `n` lost events; later losses stay counted. */
  reported(n: number): void {
    this.lost = Math.max(0, this.lost - n);
    this.save();
  }

  clear(): void {
    this.events = [];
    this.lost = 0;
    this.guard(() => this.storage.removeStorageSync(QUEUE_KEY));
  }

  private restore(): void {
    this.guard(() => {
      const raw = this.storage.getStorageSync(QUEUE_KEY) as Partial<Persisted> | '' | undefined;
      if (!raw || raw.v !== 1 || !Array.isArray(raw.events)) return; // '' is wx's "no such key"
      const events = raw.events.filter(
        (e) => typeof e?.eventId === 'string' && typeof e.type === 'string',
      );
      this.lost =
        (Number.isFinite(raw.dropped) ? Number(raw.dropped) : 0) +
        Math.max(0, events.length - this.max);
      this.events = events.slice(-this.max);
    });
  }

  private save(): void {
    const data: Persisted = { v: 1, events: this.events, dropped: this.lost };
    // A failed write (storage full) keeps the queue in memory: it still flushes this launch.
    this.guard(() => this.storage.setStorageSync(QUEUE_KEY, data));
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err);
    }
  }
}
