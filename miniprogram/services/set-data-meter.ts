/**
 * Measures a page's setData the way WeChat's experience score (体验评分) judges it: bytes per
 * call (the data as JSON, UTF-8) and calls within any one second. Pure: the caller gives the
 * time; behaviors/measured.ts wraps every page's setData with one.
 */

/** The experience score's budgets: at most this many bytes in one call, calls in one second. */
export const MAX_BYTES_PER_CALL = 256 * 1024;
export const MAX_CALLS_PER_SECOND = 20;

export interface SetDataReport {
  calls: number;
  bytes: number;
  maxBytes: number;
  peakPerSecond: number;
  windowMs: number;
}

/** UTF-8 length of the JSON of `data` (what crosses from the logic layer to the view). */
export function payloadBytes(data: unknown): number {
  const json = JSON.stringify(data) ?? '';
  let n = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4; // a surrogate pair: one 4-byte character
      i++;
    } else n += 3;
  }
  return n;
}

export class SetDataMeter {
  private calls = 0;
  private bytes = 0;
  private maxBytes = 0;
  private peak = 0;
  private start = -1;
  /** Times of the calls within the last second. */
  private recent: number[] = [];
  /** Every call's size since the last reset (tests read it; bounded by the page's own calls). */
  readonly sizes: number[] = [];

  record(bytes: number, at: number): void {
    if (this.start < 0) this.start = at;
    this.calls++;
    this.bytes += bytes;
    this.maxBytes = Math.max(this.maxBytes, bytes);
    this.sizes.push(bytes);
    this.recent.push(at);
    while (this.recent.length && this.recent[0] <= at - 1000) this.recent.shift();
    this.peak = Math.max(this.peak, this.recent.length);
  }

  /** What was measured since the last take (null without calls), and starts a new window. */
  take(at: number): SetDataReport | null {
    if (this.calls === 0) return null;
    const r = {
      calls: this.calls,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      peakPerSecond: this.peak,
      windowMs: Math.max(0, at - this.start),
    };
    this.calls = this.bytes = this.maxBytes = this.peak = 0;
    this.start = -1;
    this.recent = [];
    this.sizes.length = 0;
    return r;
  }

  /** The measurements so far without starting a new window. */
  peek(): { calls: number; maxBytes: number; peakPerSecond: number; sizes: readonly number[] } {
    return {
      calls: this.calls,
      maxBytes: this.maxBytes,
      peakPerSecond: this.peak,
      sizes: this.sizes,
    };
  }
}
