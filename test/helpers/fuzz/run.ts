/**
 * The fuzz loop shared by the test (short, fixed seed) and `npm run fuzz` (long): each generated call
 * goes through the function's real handler (toHandler) and is checked for four properties —
 * the answer is the envelope with a known code and never INTERNAL (else a crash); a failure
 * answer leaves the store byte-for-byte as it was (else a write from an invalid call); no call
 * changes a row naming the victim or merchant B (else a cross-tenant write); and no answer carries
 * a stack trace, an internal path or another tenant's data (else a leak).
 */
import fc from 'fast-check';
import type { FunctionName } from '../../../typings';
import { HTTP_STATUS } from '../../../server/host/http-errors';
import { fuzzCase, type FuzzCase } from './payloads';
import { OWNER_B } from '../merchant-world';
import { CALLERS, SECRET_B, VICTIM, VICTIM_CITY, digestOf, type FuzzWorld } from './world';

export interface FuzzReport {
  inputs: number;
  crashes: number;
  writesFromInvalid: number;
  /** Calls that changed a row naming another user or merchant (part of writesFromInvalid's spirit, kept apart). */
  crossTenantWrites: number;
  leaks: number;
  /** How the calls were answered, by code (ok included). */
  codes: Record<string, number>;
  /** The first few failures, for a person to replay (payload abbreviated). */
  failures: {
    property: string;
    fn: string;
    kind: string;
    openid: unknown;
    payload: string;
    answer: string;
  }[];
}

const CODES = new Set(Object.keys(HTTP_STATUS));
/** Stack frames, source paths and runtime internals that must never reach a client. */
const LEAK =
  /\bat .+:\d+:\d+|\/work\/|node_modules|\.ts:\d+|\bTypeError\b|\bReferenceError\b|SQLITE_|ENOENT|DATABASE_/;
const FOREIGN = [VICTIM, OWNER_B, SECRET_B, VICTIM_CITY];

function abbreviate(v: unknown): string {
  let s: string;
  try {
    s =
      JSON.stringify(v, (_k, x: unknown) =>
        typeof x === 'number' && !Number.isFinite(x) ? String(x) : x,
      ) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
}

export function emptyReport(): FuzzReport {
  return {
    inputs: 0,
    crashes: 0,
    writesFromInvalid: 0,
    crossTenantWrites: 0,
    leaks: 0,
    codes: {},
    failures: [],
  };
}

/** Runs `count` generated calls of one function against the world, adding to `report`. */
export async function fuzzFunction(
  fn: FunctionName,
  w: FuzzWorld,
  opts: { seed: number; count: number; batch?: number },
  report: FuzzReport = emptyReport(),
): Promise<FuzzReport> {
  const arb = fuzzCase(fn, w, CALLERS);
  const batch = opts.batch ?? 50;
  const dump = async () => (await w.opened.dumpAll!()) as Record<string, string[]>;
  let before = await dump();
  let beforeDigest = digestOf(before);
  let beforeNoRate = digestOf(before, true);
  let beforeVictim = w.victimRows(before);
  let probe = w.opened.writeProbe?.();
  const snapshot = (): Snapshot => ({
    digest: beforeDigest,
    noRate: beforeNoRate,
    victim: beforeVictim,
  });
  for (let done = 0, b = 0; done < opts.count; b++) {
    const cases = fc.sample(arb, {
      seed: opts.seed * 7919 + b,
      numRuns: Math.min(batch, opts.count - done),
    });
    for (const c of cases) {
      done++;
      await check(fn, c, w, report, {
        before: snapshot,
        after: async () => {
          // Nothing committed or written since the last snapshot: it still holds.
          const token = w.opened.writeProbe?.();
          if (token !== undefined && token === probe) return snapshot();
          probe = token;
          before = await dump();
          beforeDigest = digestOf(before);
          beforeNoRate = digestOf(before, true);
          beforeVictim = w.victimRows(before);
          return snapshot();
        },
      });
    }
  }
  return report;
}

interface Snapshot {
  digest: string;
  noRate: string;
  victim: Record<string, string[]>;
}

async function check(
  fn: FunctionName,
  c: FuzzCase,
  w: FuzzWorld,
  report: FuzzReport,
  store: {
    before(): Snapshot;
    after(): Promise<Snapshot>;
  },
): Promise<void> {
  report.inputs++;
  const fail = (property: string, answer: unknown) => {
    if (report.failures.length < 10)
      report.failures.push({
        property,
        fn,
        kind: c.kind,
        openid: c.openid,
        payload: abbreviate(c.payload),
        answer: abbreviate(answer),
      });
  };
  const errorsBefore = w.deps.errors.length;
  const was = store.before();
  let res: unknown;
  try {
    res = await w.call(fn, c.payload, c.openid);
  } catch (err) {
    report.crashes++;
    fail('threw', err instanceof Error ? err.message : err);
    await store.after();
    return;
  }
  const r = res as { ok?: unknown; code?: unknown; message?: unknown; data?: unknown };
  const envelope =
    r !== null &&
    typeof r === 'object' &&
    (r.ok === true
      ? 'data' in r
      : r.ok === false &&
        typeof r.code === 'string' &&
        CODES.has(r.code) &&
        typeof r.message === 'string' &&
        r.message.length > 0);
  const code = r?.ok === true ? 'ok' : String(r?.code);
  report.codes[code] = (report.codes[code] ?? 0) + 1;
  if (!envelope || code === 'INTERNAL' || w.deps.errors.length > errorsBefore) {
    report.crashes++;
    fail('crash', { res, logged: w.deps.errors.slice(errorsBefore) });
  }
  const text = abbreviateAll(res);
  // Another tenant's id counts only when the caller did not send it: a refusal may quote the
  // caller's own input back (an event id "owner-b" rejected as not a UUID).
  const sent = abbreviateAll(c.payload);
  if (LEAK.test(text) || FOREIGN.some((m) => text.includes(m) && !sent.includes(m))) {
    report.leaks++;
    fail('leak', res);
  }
  const now = await store.after();
  // A rate-limited call was valid: the limiter counts the attempt (its only write), nothing else.
  const changed = code === 'RATE_LIMITED' ? now.noRate !== was.noRate : now.digest !== was.digest;
  if (r?.ok !== true && changed) {
    report.writesFromInvalid++;
    fail('write from a refused call', res);
  }
  // The timer's own run (train, no identity) may rewrite anyone's profile; no caller may.
  const system = fn === 'train' && c.openid === undefined;
  // A row of the caller's own may name merchant B or hold a forged id (an order paid to B, a
  // notice version that happens to be B's experiment id); anything else counts.
  const own = (r: string) =>
    c.openid !== undefined &&
    (r.includes(`"openid":${JSON.stringify(c.openid)}`) ||
      r.includes(`\\"openid\\":${JSON.stringify(JSON.stringify(c.openid)).slice(1, -1)}`));
  // Asking a merchant's customer service logs the question in that merchant's support log (its
  // report of top and unanswered questions), naming no user: that is the service, not a breach.
  const asked = (r: string) =>
    fn === 'support' &&
    (c.payload as { action?: unknown } | null)?.action === 'ask' &&
    r.startsWith('+ support_asks:');
  // Reporting someone's comment (举报) is the service acting on that comment: its report count,
  // reasons and moderation queue state change, and nothing else of it may.
  const foreign = dropReportTally(
    fn === 'content' &&
      (c.payload as { action?: unknown } | null)?.action === 'comment.report' &&
      r?.ok === true,
    changedRows(was.victim, now.victim),
  ).filter((r) => !own(r) && !asked(r));
  if (!system && foreign.length > 0) {
    report.crossTenantWrites++;
    fail("another user's or merchant's data changed", { res, changed: foreign });
  }
}

function abbreviateAll(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
}

/** A comment's fields a report may change (both adapters' names). */
const REPORT_TALLY = new Set([
  'reports',
  'reasons',
  'moderation',
  'flagged',
  'flagged_at',
  'flaggedAt',
]);

/**
 * Drops the pairs of changed `comments` rows that differ only in their report tally, when the call
 * was an accepted report; any other difference (text, author, item) is kept and counted.
 */
export function dropReportTally(reported: boolean, rows: string[]): string[] {
  if (!reported) return rows;
  const rest = (row: string): string | null => {
    const m = /^[-+] comments: (.*)$/s.exec(row);
    if (!m) return null;
    try {
      const o = JSON.parse(m[1]!) as Record<string, unknown>;
      return JSON.stringify(Object.entries(o).filter(([k]) => !REPORT_TALLY.has(k.split('.')[0]!)));
    } catch {
      return null;
    }
  };
  const gone = rows.filter((r) => r.startsWith('- ')).map(rest);
  const came = rows.filter((r) => r.startsWith('+ ')).map(rest);
  return rows.filter((r) => {
    const key = rest(r);
    if (key === null) return true;
    return !(r.startsWith('- ') ? came : gone).includes(key);
  });
}

/** Rows that appeared or went away between two slices, for the failure report. */
function changedRows(a: Record<string, string[]>, b: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const was = new Set(a[k] ?? []);
    const is = new Set(b[k] ?? []);
    for (const r of was) if (!is.has(r)) out.push(`- ${k}: ${r}`);
    for (const r of is) if (!was.has(r)) out.push(`+ ${k}: ${r}`);
  }
  return out;
}
