/**
 * The soak's memory rule (scripts/soak-memory.ts): the median of a minute of RSS samples at each
 * end of the window. A training round's swing at either end does not decide it; a steady climb does.
 */
import { growthPct, median, medians, type RssByRole } from '../../../scripts/soak-memory';

const MIN = 60_000;

/** Samples every 5 s over `minutes`, the primary at `primary(t)` MB and two workers at `worker(t)` each. */
function series(
  minutes: number,
  primary: (t: number, i: number) => number,
  worker: (t: number, i: number) => number,
): { at: number; mb: number; by: RssByRole }[] {
  return Array.from({ length: (minutes * MIN) / 5_000 + 1 }, (_, i) => {
    const at = i * 5_000;
    const by = {
      cli: 49,
      primary: primary(at, i),
      workers: [worker(at, i), worker(at, i)],
      other: 0,
    };
    return { at, mb: by.cli + by.primary + by.workers[0]! + by.workers[1]!, by };
  });
}

describe('the soak memory rule', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("is not moved by a training round's peak at either end, where single samples are", () => {
    // A flat host whose primary jumps by 150 MB for one sample in five (a round every 25 s).
    const s = series(
      10,
      (_t, i) => (i % 5 === 0 ? 400 : 250),
      () => 200,
    );
    const start = s.find((x) => x.at >= 2 * MIN)!;
    const end = s[s.length - 1]!;
    // The single samples happen to fall on a trough and on a peak: +21 %.
    expect(start.by.primary).toBe(250);
    expect(end.by.primary).toBe(400);
    expect(growthPct(start.mb, end.mb)).toBeGreaterThan(10);
    const first = medians(s, start.at, start.at + MIN);
    const last = medians(s, end.at - MIN, end.at);
    expect(first.samples).toBe(13);
    expect(last.samples).toBe(13);
    expect(growthPct(first.total, last.total)).toBe(0);
  });

  it('still fails a steady climb, and names the process that climbs', () => {
    // The workers grow 4 MB a minute each (a leak), the primary swings as above.
    const s = series(
      10,
      (_t, i) => (i % 5 === 0 ? 400 : 250),
      (t) => 200 + (4 * t) / MIN,
    );
    const start = s.find((x) => x.at >= 2 * MIN)!;
    const end = s[s.length - 1]!;
    const first = medians(s, start.at, start.at + MIN);
    const last = medians(s, end.at - MIN, end.at);
    expect(growthPct(first.workers, last.workers)).toBeGreaterThan(10);
    expect(growthPct(first.primary, last.primary)).toBe(0);
    expect(first.workers).toBe(2 * (200 + 4 * 2.5));
    expect(last.workers).toBe(2 * (200 + 4 * 9.5));
  });
});
