/**
 * Failpoints: named places in the adapters where a test makes the storage fail on purpose, after
 * SQLite's and FreeBSD's fail(9) / pingcap's failpoint: each point is off (the default, one map
 * lookup), on always, on the next n hits, or on from the (k+1)-th hit; when on it throws an error
 * with a given code, waits, or kills its own process (SIGKILL, nothing flushed or closed), so a
 * restart meets whatever the storage held at that instant.
 *
 * Nothing turns a point on except a test calling `failpoints.set`, and the local host in test mode
 * (HOST_TEST_MODE=1 with FAILPOINTS="name=trigger:action;…"). The cloud entry never configures any.
 * Points: docs/reliability.md#failpoints.
 */

export type FailTrigger =
  { on: 'always' } | { on: 'times'; n: number } | { on: 'after'; k: number };
export type FailAction =
  { do: 'error'; code: string } | { do: 'delay'; ms: number } | { do: 'exit' };

interface Point {
  trigger: FailTrigger;
  action: FailAction;
  /** Hits since set. */
  hits: number;
  /** Times it acted. */
  fired: number;
}

/** The error a failpoint throws: `code` is what the real failure carries (SQLITE_BUSY, ENOSPC, …). */
export class FailpointError extends Error {
  constructor(
    readonly point: string,
    readonly code: string,
  ) {
    super(`failpoint ${point}: ${code}`);
    this.name = 'FailpointError';
  }
}

const points = new Map<string, Point>();

/** Whether the point acts on this hit (and counts it). */
function due(name: string): Point | null {
  const p = points.get(name);
  if (!p) return null;
  p.hits++;
  const t = p.trigger;
  const on = t.on === 'always' || (t.on === 'times' ? p.fired < t.n : p.hits > t.k);
  if (!on) return null;
  p.fired++;
  return p;
}

function act(name: string, action: FailAction): void {
  if (action.do === 'exit') {
    // As the machine losing power or an operator's kill -9: no handler, no flush, no close.
    process.kill(process.pid, 'SIGKILL');
  }
  if (action.do === 'error') throw new FailpointError(name, action.code);
}

/** An async point: may throw, wait, or kill the process. */
export async function failpoint(name: string): Promise<void> {
  if (points.size === 0) return;
  const p = due(name);
  if (!p) return;
  if (p.action.do === 'delay') {
    const ms = p.action.ms;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return;
  }
  act(name, p.action);
}

/** A point inside synchronous code (a better-sqlite3 transaction): a delay blocks the thread. */
export function failpointSync(name: string): void {
  if (points.size === 0) return;
  const p = due(name);
  if (!p) return;
  if (p.action.do === 'delay') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, p.action.ms);
    return;
  }
  act(name, p.action);
}

export const failpoints = {
  set(name: string, trigger: FailTrigger, action: FailAction): void {
    points.set(name, { trigger, action, hits: 0, fired: 0 });
  },
  off(name: string): void {
    points.delete(name);
  },
  clear(): void {
    points.clear();
  },
  /** How often a point was reached and how often it acted, since it was set. */
  stats(name: string): { hits: number; fired: number } {
    const p = points.get(name);
    return { hits: p?.hits ?? 0, fired: p?.fired ?? 0 };
  },
  /**
   * Sets points from a spec: `name=trigger:action` separated by `;`, where trigger is `always`,
   * `<n>x` (the next n hits) or `after<k>` (every hit after the first k), and action is
   * `error(CODE)`, `delay(ms)` or `exit`; `name=off` removes one. Throws on anything else.
   */
  configure(spec: string): void {
    for (const part of spec
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m =
        /^([A-Za-z0-9_.-]+)=(?:(off)|(always|\d+x|after\d+):(exit|error\(([A-Z0-9_]+)\)|delay\((\d+)\)))$/.exec(
          part,
        );
      if (!m)
        throw new Error(
          `failpoints: cannot read "${part}" (want name=always|<n>x|after<k>:error(CODE)|delay(ms)|exit, or name=off)`,
        );
      const [, name, off, trig, act, code, ms] = m;
      if (off) {
        points.delete(name!);
        continue;
      }
      const trigger: FailTrigger =
        trig === 'always'
          ? { on: 'always' }
          : trig!.endsWith('x')
            ? { on: 'times', n: Number(trig!.slice(0, -1)) }
            : { on: 'after', k: Number(trig!.slice('after'.length)) };
      const action: FailAction =
        act === 'exit'
          ? { do: 'exit' }
          : code
            ? { do: 'error', code }
            : { do: 'delay', ms: Number(ms) };
      failpoints.set(name!, trigger, action);
    }
  },
};
