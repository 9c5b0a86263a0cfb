/**
 * The serving bench's request mix: each client runs sessions of a few pages (the next pages
 * through the cursor, as the feed scrolls), for personalised and cold-start users in turn, and
 * records each call's latency. `call` is the transport: the handler in-process, or HTTP.
 */
import type { RecommendResponse } from '../../typings';
import type { ServeWorld } from './world';

export type Call = (
  openid: string,
  payload: object,
) => Promise<{ ok: true; data: RecommendResponse } | { ok: false; code: string; message: string }>;

/** Launch scenes in the mix: chat share, search, others (each a different cold-start weighting). */
const SCENES = [1001, 1007, 1053, 1089];
/** Pages per session; most feeds are scrolled a little. */
const PAGES = 3;
/** One session in this many is a cold-start user. */
const COLD_EVERY = 5;
export const PAGE_SIZE = 20;

export interface Latencies {
  ms: number[];
  requests: number;
  seconds: number;
}

/** Which user and scene the n-th session of client c has (deterministic, spread over the population). */
function sessionOf(
  world: ServeWorld,
  c: number,
  n: number,
  clients: number,
): { openid: string; scene: number } {
  const k = n * clients + c;
  const openid =
    k % COLD_EVERY === 0
      ? world.coldUsers[(k / COLD_EVERY) % world.coldUsers.length]
      : world.profiles[(k * 7919) % world.profiles.length].openid;
  return { openid, scene: SCENES[k % SCENES.length] };
}

/** Runs `clients` concurrent clients until `requests` calls have been made in all (or `seconds` pass). */
export async function drive(
  world: ServeWorld,
  call: Call,
  clients: number,
  limits: { requests: number; seconds: number },
  salt = 0,
): Promise<Latencies> {
  const ms: number[] = [];
  let issued = 0;
  const t0 = performance.now();
  const deadline = t0 + limits.seconds * 1000;
  const more = (): boolean => issued < limits.requests && performance.now() < deadline;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = salt; more(); n++) {
        const { openid, scene } = sessionOf(world, c, n, clients);
        let cursor: string | null | undefined;
        for (let p = 0; p < PAGES && more() && cursor !== null; p++) {
          issued++;
          const start = performance.now();
          const res = await call(openid, {
            limit: PAGE_SIZE,
            scene,
            ...(cursor ? { cursor } : {}),
          });
          ms.push(performance.now() - start);
          if (!res.ok)
            throw new Error(`recommend failed for ${openid}: ${res.code} ${res.message}`);
          if (res.data.cards.length < PAGE_SIZE)
            throw new Error(
              `recommend served ${res.data.cards.length} cards to ${openid}, expected at least ${PAGE_SIZE}`,
            );
          cursor = res.data.cursor;
        }
      }
    }),
  );
  return { ms, requests: ms.length, seconds: (performance.now() - t0) / 1000 };
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

export function summarise(l: Latencies): { p50Ms: number; p99Ms: number; rps: number } {
  const s = [...l.ms].sort((a, b) => a - b);
  return {
    p50Ms: Number(percentile(s, 0.5).toFixed(2)),
    p99Ms: Number(percentile(s, 0.99).toFixed(2)),
    rps: Math.round(l.requests / l.seconds),
  };
}
