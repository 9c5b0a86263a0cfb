/**
 * The soak's memory figures (scripts/soak.ts): RSS samples of the host's processes by role, and
 * the rule's statistic — the median of a minute of samples at each end of the window.
 */

export interface RssByRole {
  /** The tsx launcher `npm run soak` starts (the host's root process). */
  cli: number;
  /** The node process running server/host/main.ts: seeds, trains, checkpoints the WAL. */
  primary: number;
  /** Its cluster workers, which serve HTTP. */
  workers: number[];
  /** Anything else in the tree (esbuild's service processes). */
  other: number;
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export const growthPct = (from: number, to: number): number =>
  from > 0 ? Math.round(((to - from) / from) * 1000) / 10 : 0;

/** The median of a list (the mean of the middle two for an even length); 0 for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median RSS (MB) of the samples taken from `from` to `to`: in all, the primary, the workers together. */
export function medians(
  samples: readonly { at: number; mb: number; by: RssByRole }[],
  from: number,
  to: number,
): { total: number; primary: number; workers: number; samples: number } {
  const inWindow = samples.filter((s) => s.at >= from && s.at <= to);
  return {
    total: Math.round(median(inWindow.map((s) => s.mb))),
    primary: Math.round(median(inWindow.map((s) => s.by.primary))),
    workers: Math.round(median(inWindow.map((s) => sum(s.by.workers)))),
    samples: inWindow.length,
  };
}
