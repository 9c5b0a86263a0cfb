/**
 * A transcript of served feed pages over a fixed seeded world (the serving bench's generator, at a
 * small size): what `recommend` answered and what it logged, page by page, for the paths a page can
 * take (first page, a kept continuation, a full re-ranking of a later page, a retry answered from
 * the logged slate, a channel, a launch scene, a location, a cold-start user, a user without
 * consent whose session rides in the cursor, experiments' variants and explored cards). It is the golden of
 * test/server/serving/served-pages.test.ts: a change to serving that is meant to change nothing
 * must leave it byte for byte as it was.
 */
import { createHash } from 'node:crypto';
import type { FeedCard, RecommendResponse } from '../../typings';
import recommend from '../../server/functions/recommend';
import type { ServedSlate } from '../../server/ports';
import { toHandler } from '../../server/runtime/function';
import { generateServeWorld, seedServeWorld, type ServeWorldSize } from '../../bench/serve/world';
import { testDeps } from './deps';
import { openTempSqliteStores } from './sqlite-stores';

const SEED = 20261206;
/** Small enough to seed in a second or two, large enough for every candidate source and the auction. */
const SIZE: ServeWorldSize = { items: 600, campaigns: 24, users: 40, coldUsers: 6 };
/** The click model learns from this many simulated impressions: enough to score every card. */
const MODEL_IMPRESSIONS = 3_000;

/** One line per card, every field the page decided (the item's own fields are in `sha`). */
function cardLine(c: FeedCard): string {
  if (c.kind === 'ad') return `${c.position} ad ${c.adId} ${c.creative.title} | ${c.reason.text}`;
  const extra = [
    c.pctr !== undefined ? `pctr=${c.pctr}` : '',
    c.socialProof !== undefined ? `proof=${c.socialProof}` : '',
    c.item.place ? `place=${JSON.stringify(c.item.place)}` : '',
  ].filter(Boolean);
  return `${c.position} ${c.item.id} ${extra.join(' ')}`.trimEnd();
}

function slateLines(s: ServedSlate): string[] {
  return [
    `model=${s.modelVersion} variant=${s.variant} personalised=${s.personalised} scene=${s.scene}`,
    ...s.cards.map(
      (c) =>
        `${c.position} ${c.itemId ?? `ad ${c.adId}`} score=${c.score} p=${c.propensity}` +
        (c.propensitySamples !== undefined ? ` n=${c.propensitySamples}` : '') +
        (c.explored ? ' explored' : '') +
        (c.priceFen !== undefined ? ` price=${c.priceFen}` : ''),
    ),
  ];
}

export interface ServedPageRecord {
  label: string;
  cards: string[];
  /** The logged slate (absent when nothing was logged: no consent). */
  slate?: string[];
  exhausted: boolean;
  prefetch?: string;
  reason?: string;
  /** SHA-256 of the whole answer's cards and logged slate cards as JSON (session ids left out). */
  sha: string;
}

/** Serves the transcript's pages on fresh SQLite stores; returns one record per page, in order. */
export async function servedPagesTranscript(): Promise<ServedPageRecord[]> {
  const opened = await openTempSqliteStores();
  try {
    const { stores } = opened;
    const deps = testDeps(stores);
    const world = generateServeWorld(SEED, deps.now(), SIZE);
    await seedServeWorld(stores, world, SEED, deps.now(), MODEL_IMPRESSIONS);
    // A platform experiment on the diversity penalty: its variant is logged and keys the continuation.
    await stores.experiments.create({
      id: 'exp_golden_diversity',
      merchantId: null,
      name: '多样性',
      parameter: 'feed.diversity',
      buckets: 10_000,
      range: [0, 5_000],
      variants: [
        { name: 'low', weight: 1, value: 0.2 },
        { name: 'high', weight: 1, value: 0.9 },
      ],
      targetMetric: 'ctr',
      guardrails: [],
      status: 'running',
      salt: 'salt-golden',
      createdAt: deps.now(),
      startedAt: deps.now(),
      stoppedAt: null,
      version: 2,
    });
    // And one on exploration (its own layer), so explored cards are on the pages.
    await stores.experiments.create({
      id: 'exp_golden_explore',
      merchantId: null,
      name: '探索',
      parameter: 'feed.explore',
      buckets: 10_000,
      range: [0, 10_000],
      variants: [
        { name: 'some', weight: 1, value: 0.8 },
        { name: 'more', weight: 1, value: 1 },
      ],
      targetMetric: 'ctr',
      guardrails: [],
      status: 'running',
      salt: 'salt-golden-explore',
      createdAt: deps.now(),
      startedAt: deps.now(),
      stoppedAt: null,
      version: 2,
    });
    const handler = toHandler(recommend);
    const records: ServedPageRecord[] = [];
    const serve = async (
      label: string,
      openid: string,
      payload: Record<string, unknown>,
    ): Promise<RecommendResponse> => {
      const res = await handler({ payload, openid }, deps);
      if (!res.ok) throw new Error(`${label}: ${res.code} ${res.message}`);
      const data = res.data;
      const [slate] = await stores.slates.get([data.slateId]);
      records.push({
        label,
        cards: data.cards.map(cardLine),
        ...(slate ? { slate: slateLines(slate) } : {}),
        exhausted: data.cursor === null,
        ...(data.prefetch ? { prefetch: data.prefetch.itemIds.join(' ') } : {}),
        ...(data.reason ? { reason: data.reason } : {}),
        sha: createHash('sha256')
          .update(JSON.stringify({ cards: data.cards, logged: slate?.cards ?? null }))
          .digest('hex'),
      });
      return data;
    };
    const engaged = world.profiles.filter((p) => p.recent.length >= 5);
    const [alice, bob, carol] = engaged;
    const cold = world.coldUsers[0];

    // A personalised session: page 0 ranks three pages, 1 is the kept continuation, a retry of 1
    // answers its logged slate, and 2 (after the continuation expired) is ranked again in full.
    const a0 = await serve('personal page 0', alice.openid, { limit: 12, scene: 1001 });
    const a1 = await serve('personal page 1 (continuation)', alice.openid, {
      limit: 12,
      scene: 1001,
      cursor: a0.cursor,
    });
    await serve('personal page 1 again (replay)', alice.openid, {
      limit: 12,
      scene: 1001,
      cursor: a0.cursor,
    });
    deps.setNow(deps.now() + 3 * 60_000);
    await serve('personal page 2 (ranked again)', alice.openid, {
      limit: 12,
      scene: 1001,
      cursor: a1.cursor,
    });
    // A channel, another launch scene and a shared location.
    await serve('channel cat3', bob.openid, { channel: 'cat3', limit: 8, scene: 1007 });
    await serve('located', carol.openid, { limit: 10, location: { lat: 31.23, lng: 121.47 } });
    // A cold-start user (consented, no profile).
    const c0 = await serve('cold page 0', cold, { limit: 10 });
    await serve('cold page 1', cold, { limit: 10, cursor: c0.cursor });
    // No recorded consent: the non-personalised feed, nothing logged, the session in the cursor.
    const g0 = await serve('no consent page 0', 'golden-guest', { limit: 10 });
    await serve('no consent page 1 (carried)', 'golden-guest', { limit: 10, cursor: g0.cursor });
    return records;
  } finally {
    await opened.cleanup();
  }
}
