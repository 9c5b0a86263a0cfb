/**
 * `npm run bench:social-ties`: the social hot path of a personalised `recommend` — the viewer's
 * 20 strongest ties, their hide switches, gates, likes and communities (server/social/proof.ts,
 * engagementsOfTies) — on SQLite stores, with the per-instance ties cache warm (steady state:
 * each viewer comes back within the TTL) and emptied before every call (what each call cost
 * before the cache). Reports p50 / p99 per call and the store reads per call (each a network
 * round trip in the cloud). Seeded world: 300 viewers (`--viewers`), 20 consenting ties each out
 * of 3,000 users, 50 likes per user; the viewers come in turn, so with more distinct ties than the
 * cache holds (TIE_CACHE_MAX) the least recently used are the ones asked for next.
 *
 * Usage: npm run bench:social-ties [-- --json] [-- --calls 3000] [-- --viewers 300]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteStores } from '../../server/adapters/sqlite';
import type { Stores } from '../../server/ports';
import { mulberry32 } from '../../server/engine/models/rng';
import {
  engagementsOfTies,
  PROOF_TIES,
  TIE_CACHE_MAX,
  tieCacheOf,
} from '../../server/social/proof';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    calls: { type: 'string', default: '3000' },
    viewers: { type: 'string', default: '300' },
  },
});
const CALLS = Number(args.calls);
const USERS = 3_000;
const VIEWERS = Number(args.viewers);
const LIKES = 50;
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const KEYS = { identifierKey: '', blobEncryptionKey: '' };
const FEATURES = {
  degree: 20,
  activity: 5,
  influence: 1,
  clustering: 0.2,
  community: 1,
  sharedInterest: 0,
};

async function seed(stores: Stores): Promise<void> {
  // mulberry32: the world is the same on every run.
  const r = mulberry32(20261206);
  for (let u = 0; u < USERS; u++) {
    const openid = `u${u}`;
    await stores.privacy.recordConsent(openid, {
      noticeVersion: '2026-11',
      granted: true,
      at: NOW,
    });
    await stores.social.putRecord({ openid, features: FEATURES, updatedAt: NOW }, []);
    await stores.likes.apply(
      Array.from({ length: LIKES }, (_, i) => ({
        openid,
        itemId: `i${Math.floor(r() * 10_000)}`,
        liked: true,
        at: NOW - i * 60_000,
      })),
    );
  }
  for (let v = 0; v < VIEWERS; v++) {
    const ties = new Set<number>();
    while (ties.size < PROOF_TIES) ties.add(Math.floor(r() * USERS));
    await stores.social.putRecord(
      { openid: `v${v}`, features: FEATURES, updatedAt: NOW },
      [...ties].map((t, i) => ({ kind: 'tie' as const, other: `u${t}`, weight: PROOF_TIES - i })),
    );
  }
}

/** Counts every store call (reads and writes) made through the bundle. */
function counted(stores: Stores): { stores: Stores; calls: () => number } {
  let n = 0;
  const wrap = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, key, recv) {
        const v = Reflect.get(target, key, recv) as unknown;
        return typeof v === 'function'
          ? (...a: unknown[]) => (n++, (v as (...x: unknown[]) => unknown).apply(target, a))
          : v;
      },
    });
  const out = { ...stores } as Record<string, unknown>;
  for (const k of ['social', 'likes', 'privacy'] as const) out[k] = wrap(stores[k]);
  return { stores: out as unknown as Stores, calls: () => n };
}

const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function run(stores: Stores, calls: () => number, cold: boolean) {
  const times: number[] = [];
  const before = calls();
  for (let i = 0; i < CALLS; i++) {
    // Within the gate's and the cache's TTLs: time stands still, as for a burst of viewers.
    if (cold) tieCacheOf(stores).clear();
    const t0 = performance.now();
    const got = await engagementsOfTies(stores, `v${i % VIEWERS}`, NOW, KEYS);
    times.push(performance.now() - t0);
    if (got.length !== PROOF_TIES)
      throw new Error(`expected ${PROOF_TIES} ties, got ${got.length}`);
  }
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    p50Ms: r3(quantile(times, 0.5)),
    p99Ms: r3(quantile(times, 0.99)),
    readsPerCall: r3((calls() - before) / CALLS),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-ties-'));
  const raw = openSqliteStores({ dataDir: dir });
  try {
    await seed(raw);
    const { stores, calls } = counted(raw);
    // Warm-up of both paths, then alternate so both see the same machine.
    await run(stores, calls, true);
    await run(stores, calls, false);
    const uncached = await run(stores, calls, true);
    const cached = await run(stores, calls, false);
    if (args.json) console.log(JSON.stringify({ uncached, cached }));
    else {
      const distinct = new Set<string>();
      for (let v = 0; v < VIEWERS; v++)
        for (const l of await raw.social.links(`v${v}`, 'tie', PROOF_TIES)) distinct.add(l.other);
      console.log(
        `${VIEWERS} viewers × ${PROOF_TIES} ties (${distinct.size} distinct; cache holds ${TIE_CACHE_MAX}), ${CALLS} calls each, SQLite`,
      );
      console.log(
        `uncached: p50 ${uncached.p50Ms} ms, p99 ${uncached.p99Ms} ms, ${uncached.readsPerCall} store calls`,
      );
      console.log(
        `cached:   p50 ${cached.p50Ms} ms, p99 ${cached.p99Ms} ms, ${cached.readsPerCall} store calls`,
      );
    }
  } finally {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
