/**
 * The world every function is fuzzed against, built through the functions themselves: merchants A
 * and B with campaigns and an experiment, a victim user with consent, shared demographics, events
 * and a comment, and the callers the fuzzer acts as (none of them the victim, merchant B or an admin).
 * Under a scene that restricts campaigns (`scene`: SCENE, e.g. travel), the deployment runs in that
 * scene and the world's campaigns land on an item of its first category, so that they can serve.
 */
import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { AppSceneName, Creative, FunctionName } from '../../../typings';
import { functions } from '../../../server/functions';
import { toHandler, type Handler } from '../../../server/runtime/function';
import { sceneOf } from '../../../server/scenes';
import { makeItem } from '../fixtures';
import { OWNER_A, OWNER_B, STAFF_A, USER, buildMerchantWorld, validInput } from '../merchant-world';
import type { TestDeps } from '../deps';
import type { OpenedStores } from '../sqlite-stores';

export const VICTIM = 'victim-user';
/** Text only the victim and merchant B hold: no answer to anyone else may contain it. */
export const SECRET_B = 'SECRETB商家机密';
export const VICTIM_CITY = '秘密城';
export const VICTIM_COMMENT = '受害者的评论VICTIMTEXT';
/** Callers the fuzzer acts as (consented user, merchant A owner and staff, a stranger without consent). */
export const CALLERS = [USER, OWNER_A, STAFF_A, 'stranger-1'] as const;

export interface FuzzWorld {
  opened: OpenedStores;
  deps: TestDeps;
  call(fn: FunctionName, payload: unknown, openid: string | undefined): ReturnType<Handler>;
  /** Ids the fuzzer forges into payloads: other users', merchant B's, unknown ones. */
  ids: {
    items: string[];
    campaignsA: string[];
    campaignsB: string[];
    experimentsB: string[];
    victimComment: string;
    merchantA: string;
    merchantB: string;
  };
  /** The creative the world's campaigns were created with (landing in the deployment's scene). */
  creative: Creative;
  /** The rows or blobs that name the victim or merchant B. */
  victimRows(dump: Record<string, string[]>): Record<string, string[]>;
}

const handlers = Object.fromEntries(
  Object.entries(functions).map(([n, def]) => [n, toHandler(def as never)]),
) as Record<FunctionName, Handler>;

/** A digest of everything stored; `exceptRate` leaves out the rate limiter's counters. */
export function digestOf(dump: Record<string, string[]>, exceptRate = false): string {
  const h = createHash('sha256');
  for (const k of Object.keys(dump).sort()) {
    const rows = exceptRate && k === 'counters' ? dump[k]!.filter((r) => !isRate(r)) : dump[k]!;
    // An empty collection is no data (the cloud test service creates one on first request).
    if (rows.length === 0) continue;
    h.update(k);
    h.update('\0');
    for (const row of [...rows].sort()) h.update(row).update('\n');
  }
  return h.digest('hex');
}

const isRate = (row: string): boolean => (JSON.parse(row) as { scope?: unknown }).scope === 'rate';

export async function buildFuzzWorld(
  opened: OpenedStores,
  { scene = 'general' }: { scene?: AppSceneName } = {},
): Promise<FuzzWorld> {
  const { stores } = opened;
  const w = await buildMerchantWorld(stores);
  const deps = w.deps;
  deps.config = { ...deps.config, scene };
  await stores.catalog.upsert(
    Array.from({ length: 12 }, (_, i) =>
      makeItem(`item-f${i}`, { category: i % 2 ? '旅行' : '美食', publishedAt: deps.now() - i }),
    ),
  );
  const sceneCategory = sceneOf(scene).categories?.[0];
  if (sceneCategory !== undefined)
    await stores.catalog.upsert([makeItem('item-scene', { category: sceneCategory })]);
  const creative: Creative = {
    ...validInput().creative,
    ...(sceneCategory === undefined ? {} : { landing: { kind: 'item', itemId: 'item-scene' } }),
  };
  const call: FuzzWorld['call'] = (fn, payload, openid) =>
    handlers[fn]({ payload, openid }, deps) as ReturnType<Handler>;
  const must = async (fn: FunctionName, payload: object, openid: string) => {
    const res = await call(fn, payload, openid);
    if (!res.ok) throw new Error(`fuzz world: ${fn} by ${openid}: ${res.code} ${res.message}`);
    return res.data as never;
  };
  const campaign = async (owner: string, name: string): Promise<string> => {
    const c = (await must(
      'merchant',
      { action: 'campaign.create', campaign: validInput({ name, creative }) },
      owner,
    )) as {
      campaign: { id: string };
    };
    await must('merchant', { action: 'campaign.start', campaignId: c.campaign.id }, owner);
    // An offer, so that `pay` order.create has something to sell (valid orders are fuzzed too).
    await must(
      'merchant',
      {
        action: 'offer.set',
        campaignId: c.campaign.id,
        offer: { title: '双人套餐', priceFen: 990, stock: 1_000, perUserLimit: 2 },
      },
      owner,
    );
    return c.campaign.id;
  };
  const campaignsA = [await campaign(OWNER_A, '火锅A')];
  const campaignsB = [await campaign(OWNER_B, `露营${SECRET_B}`)];
  const exp = (await must(
    'merchant',
    {
      action: 'experiment.create',
      experiment: {
        name: `创意${SECRET_B}`,
        parameter: 'ad.creative',
        campaignId: campaignsB[0],
        trafficPercent: 100,
        variants: [
          { name: 'control', weight: 1, value: creative },
          { name: 'b', weight: 1, value: { ...creative, title: '第二份半价' } },
        ],
        targetMetric: 'ctr',
        guardrails: [],
      },
    },
    OWNER_B,
  )) as { experiment: { id: string } };

  for (const u of [VICTIM, USER, OWNER_A, STAFF_A])
    await must('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
  await must(
    'account',
    { action: 'demographics.set', city: VICTIM_CITY, gender: 'female' },
    VICTIM,
  );
  const feed = (await must('recommend', { limit: 5 }, VICTIM)) as {
    slateId: string;
    cards: { kind: string; item?: { id: string } }[];
  };
  const events = feed.cards.map((c, position) => ({
    eventId: randomUUID(),
    type: 'impression',
    clientTime: deps.now() - 1000,
    sessionId: 'victim-session',
    page: 'pages/feed/index',
    slateId: feed.slateId,
    position,
    ...(c.kind === 'content' ? { itemId: c.item!.id } : {}),
  }));
  await must('track', { schemaVersion: 1, events }, VICTIM);
  const posted = (await must(
    'content',
    { action: 'comment.post', itemId: 'item-f0', text: VICTIM_COMMENT },
    VICTIM,
  )) as { comment: { id: string } };

  // Not campaign B's id alone: anyone's impression or click of its ad rightly moves its counters.
  const markers = [VICTIM, OWNER_B, w.merchantB, exp.experiment.id, SECRET_B];
  return {
    opened,
    deps,
    call,
    creative,
    ids: {
      items: [
        'item-f0',
        'item-f1',
        'item-1',
        'item-hidden',
        'no-such-item',
        ...(sceneCategory === undefined ? [] : ['item-scene']),
      ],
      campaignsA,
      campaignsB,
      experimentsB: [exp.experiment.id],
      victimComment: posted.comment.id,
      merchantA: w.merchantA,
      merchantB: w.merchantB,
    },
    victimRows: (dump) => {
      const mine: Record<string, string[]> = {};
      for (const [k, rows] of Object.entries(dump)) {
        const hit = rows.filter((r) =>
          k === 'counters' ? victimCounter(r) : markers.some((m) => r.includes(m) || k.includes(m)),
        );
        if (hit.length) mine[k] = hit;
      }
      return mine;
    },
  };
}

/**
 * Counters are keyed by ids any event may name (an item, an ad, a forged id used as one), and every
 * stored event from anyone moves them; the victim's own are the per-user ones keyed by its openid.
 */
const PER_USER_SCOPES = new Set(['rate', 'adFreq', 'adHide']);
function victimCounter(row: string): boolean {
  const r = JSON.parse(row) as { scope?: unknown; id?: unknown };
  return r.id === VICTIM && PER_USER_SCOPES.has(String(r.scope));
}
