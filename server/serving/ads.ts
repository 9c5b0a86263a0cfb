/**
 * The ads side of `recommend`: puts native ads into the page's fixed ad slots.
 *
 * Call it at the end of the content pipeline, before logging the slate:
 *
 *   const served = await serveAds(ctx, {
 *     openid, personalised, scene, profile, content: page.cards, offset, now: ctx.now(), scorer,
 *   });
 *   // served.cards: content and ads woven, positions renumbered from `offset` (feed positions);
 *   // log every card of served.cards in the slate — ad cards with served.slateCards' entries
 *   // (adId, position, score, propensity, priceFen: what `track` charges a click) — and put
 *   // `offset + served.cards.length` in the next cursor so slots stay put across pages.
 *
 * - Slots are feed positions counted across pages (config.adSlots, default 3, 10, 17); a slot
 *   after the page's last content card stays empty, so does one no eligible ad wins.
 * - `personalised: false` (opt-out): targeting uses only the scene and the page's content; the
 *   profile and shared attributes are ignored and the click model sees no user feature.
 * - `scorer`: the serving click model of the warm instance (WarmState.scorer); null = cold
 *   start, every ad gets the prior CTR and exploration does the learning.
 * - `creatives`: the user's creative-experiment assignments (ad.creative). When a campaign with
 *   one wins a slot, the card shows the assigned variant's creative and the assignment is
 *   returned in `exposures`, for the slate's variant label (so results count only slates where
 *   the campaign was shown). The auction is unchanged: the click model scores campaigns by id
 *   (it has no creative features), so bid × pCTR, pricing and pacing do not depend on the variant.
 * - Never throws for the ads' sake: any failure is logged and the page is served without ads.
 */
import { randomInt } from 'node:crypto';
import type { AdCard, AdReason, Campaign, ContentCard, Creative, FeedCard } from '../../typings';
import type { Assignment } from '../engine/experiments/assign';
import { ALL, FREQ, HIDE, adField } from '../engine/ads/counter-keys';
import { DEFAULT_AD_PARAMS, type AdParams } from '../engine/ads/params';
import { inSchedule } from '../engine/ads/schedule';
import { inAdScene, type AdScene } from '../engine/ads/scene';
import { planAds } from '../engine/ads/serve';
import { weave } from '../engine/ads/slots';
import { matchTargeting, type Audience } from '../engine/ads/targeting';
import { mulberry32 } from '../engine/models/rng';
import type { UserProfile } from '../engine/profiles/profile';
import type { GraphFeatures } from '../engine/features/transformer';
import { topInterests } from '../engine/profiles/profile';
import type { ClickScorer } from '../engine/ranking/pipeline';
import {
  cardInput,
  userFeatures,
  type CardContext,
  type CardItem,
} from '../engine/training/features';
import { suitable } from '../engine/suitability';
import { dayBucket } from '../engine/time';
import type { SlateCard } from '../ports';
import type { FunctionContext } from '../runtime/function';
import { perStores } from '../runtime/per-stores';
import { CampaignCache } from './ad-campaigns';
import { CampaignCounterCache } from './ad-counters';
import { recordWins } from './ad-wins';
import { bidderFor, OcpcCache } from './ad-ocpc';

/** Interests of the profile that targeting looks at. */
const TARGET_INTERESTS = 20;

export interface SharedAttributes {
  gender?: 'male' | 'female';
  ageBand?: string;
  city?: string;
}

export interface ServeAdsInput {
  openid: string;
  personalised: boolean;
  scene: number | null;
  profile: UserProfile | null;
  /** The user's share-graph features for the click model (SOCIAL_GRAPH_FEATURES), as the feed read them. */
  graph?: GraphFeatures | null;
  /** Only what the user chose to share; ignored unless personalised. */
  shared?: SharedAttributes;
  /** The user's risk tolerance C1–C5 (suitability); null or absent: not assessed. Applies even when not personalised. */
  riskTolerance?: number | null;
  /**
   * The deployment's scene (SCENE): only campaigns about its categories serve (engine/ads/scene.ts);
   * absent or null: every campaign (the general scene).
   */
  adScene?: AdScene | null;
  /** A catalog item's category, for a campaign landing on an item (the warm catalog). */
  categoryOf?: (itemId: string) => string | undefined;
  /** The page's content, in order. */
  content: readonly ContentCard[];
  /** Feed position of the page's first card. */
  offset: number;
  now: number;
  scorer: ClickScorer | null;
  /** Uniform [0, 1) source; tests seed it. */
  random?: () => number;
  /** Ad slots set by an experiment (ads.slots), instead of the configured ones. */
  slots?: readonly number[];
  /** Ads this session served on its earlier pages (from its logged slates or the cursor): they count towards the frequency cap. */
  sessionAds?: readonly SessionAd[];
  /**
   * False for a user whose data may not be kept (no recorded consent, or being erased:
   * server/privacy/gate.ts): their frequency and hide counters are not read; only the session's
   * own ads cap the frequency.
   */
  perUserCounters?: boolean;
  /** The user's ad.creative assignments (campaignId set), from the running experiments. */
  creatives?: readonly Assignment[];
}

export interface SessionAd {
  adId: string;
  /** When the slate carrying it was served, epoch ms. */
  at: number;
}

export interface ServedAds {
  cards: FeedCard[];
  /** Slate-log entries of the ad cards in `cards`. */
  slateCards: SlateCard[];
  /** Creative assignments whose campaign is among the ad cards (their variant's creative shown). */
  exposures: Assignment[];
}

/** One campaign set per warm instance and store bundle. */
const cacheFor = perStores(() => new CampaignCache());
/** Campaign spend and statistics per warm instance, at most AD_STATE_TTL_MS old (ad-counters.ts). */
const countersFor = perStores(() => new CampaignCounterCache());
/** The oCPC model and controller factors per warm instance (ad-ocpc.ts). */
const ocpcFor = perStores(() => new OcpcCache());

/** The feed positions of ad slots on a page of `contentCount` content cards starting at `offset`. */
export function slotPositions(
  slots: readonly number[],
  offset: number,
  contentCount: number,
): number[] {
  const wanted = new Set(slots);
  const out: number[] = [];
  for (let pos = offset, left = contentCount; left > 0; pos++) {
    if (wanted.has(pos)) out.push(pos);
    else left--;
  }
  return out;
}

export function adParams(config: FunctionContext['config']): AdParams {
  return { ...DEFAULT_AD_PARAMS, slots: config.adSlots, frequencyCap: config.adFrequencyCap };
}

/** How long a purchase-propensity rank counts for targeting (train rescores it every round). */
export const PURCHASE_RANK_MAX_AGE_MS = 7 * 86_400_000;

function audienceOf(input: ServeAdsInput): Audience {
  const context = [...new Set(input.content.flatMap((c) => [c.item.category, ...c.item.tags]))];
  const a: Audience = {
    personalised: input.personalised,
    interests: [],
    scene: input.scene,
    context,
    riskTolerance: input.riskTolerance ?? null,
    adScene: input.adScene ?? null,
    ...(input.categoryOf ? { categoryOf: input.categoryOf } : {}),
  };
  if (!input.personalised) return a;
  if (input.profile)
    a.interests = topInterests(input.profile, TARGET_INTERESTS, input.now).map((s) =>
      s.tag.replace(/^(cat|tag):/, ''),
    );
  // A rank older than a week (the payment step stopped scoring) no longer counts as a likely buyer.
  const purchase = input.profile?.purchase;
  if (purchase && input.now - purchase.asOf <= PURCHASE_RANK_MAX_AGE_MS)
    a.buyerTopShare = purchase.topShare;
  return { ...a, ...input.shared };
}

const noCategory = (): undefined => undefined;

const isCreative = (v: Assignment['value']): v is Creative =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A campaign's card at a position: its assigned creative when the user is in its creative test (noted in `exposures`). */
function adCard(
  c: Campaign,
  position: number,
  reason: AdReason,
  advertisers: ReadonlyMap<string, string>,
  creativeOf: ReadonlyMap<string, Assignment>,
  exposures: Assignment[],
): AdCard {
  const a = creativeOf.get(c.id);
  const assigned = a && a.merchantId === c.merchantId && isCreative(a.value) ? a : undefined;
  if (assigned && !exposures.includes(assigned)) exposures.push(assigned);
  return {
    kind: 'ad',
    position,
    sponsored: true,
    adId: c.id,
    advertiser: advertisers.get(c.merchantId) ?? '广告主',
    merchantId: c.merchantId,
    creative: assigned ? (assigned.value as Creative) : c.creative,
    reason,
  };
}

/**
 * The ad cards of a page already logged (a retried request answers its logged slate: page/replay.ts),
 * from the warm campaign set: no auction, no counter read, no win recorded again. A campaign no
 * longer in the set (ended, paused) is left out; its reason is recomputed from the targeting.
 */
export async function loggedAdCards(
  ctx: Pick<FunctionContext, 'stores' | 'log'>,
  input: Pick<
    ServeAdsInput,
    | 'personalised'
    | 'scene'
    | 'profile'
    | 'shared'
    | 'riskTolerance'
    | 'adScene'
    | 'categoryOf'
    | 'content'
    | 'now'
    | 'creatives'
  >,
  logged: readonly SlateCard[],
): Promise<{ cards: AdCard[]; exposures: Assignment[] }> {
  const exposures: Assignment[] = [];
  if (!logged.some((c) => c.adId !== undefined)) return { cards: [], exposures };
  const { campaigns, advertisers } = await cacheFor(ctx.stores).get(ctx.stores, input.now, ctx.log);
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const audience = audienceOf({ ...input, openid: '', offset: 0, scorer: null });
  const creativeOf = new Map(
    (input.creatives ?? [])
      .filter((a) => a.campaignId !== undefined)
      .map((a) => [a.campaignId!, a]),
  );
  const cards = logged.flatMap((l) => {
    const c = l.adId !== undefined ? byId.get(l.adId) : undefined;
    // Suitability and the scene hold on a replay too (an assessment withdrawn since the page was logged).
    if (
      !c ||
      !suitable(c.riskLevel, audience.riskTolerance) ||
      !inAdScene(c, audience.adScene, audience.categoryOf ?? noCategory)
    )
      return [];
    const reason = matchTargeting(c.targeting, audience) ?? {
      code: 'broad' as const,
      text: '该广告面向所有用户投放',
    };
    return [adCard(c, l.position, reason, advertisers, creativeOf, exposures)];
  });
  return { cards, exposures };
}

export async function serveAds(
  ctx: Pick<FunctionContext, 'stores' | 'config' | 'log'>,
  input: ServeAdsInput,
): Promise<ServedAds> {
  const contentOnly = (): ServedAds => ({
    cards: [...input.content],
    slateCards: [],
    exposures: [],
  });
  const params = input.slots
    ? { ...adParams(ctx.config), slots: input.slots }
    : adParams(ctx.config);
  const positions = slotPositions(params.slots, input.offset, input.content.length);
  if (positions.length === 0) return contentOnly();
  try {
    const set = await cacheFor(ctx.stores).get(ctx.stores, input.now, ctx.log);
    const { campaigns, advertisers } = set;
    const audience = audienceOf(input);
    // Cheap checks first: only campaigns that could serve here cost counter reads.
    const live = campaigns.filter(
      (c) =>
        inSchedule(c, input.now) &&
        inAdScene(c, audience.adScene, audience.categoryOf ?? noCategory) &&
        matchTargeting(c.targeting, audience) !== null,
    );
    if (live.length === 0) return contentOnly();
    const day = dayBucket(input.now);
    const { counters } = ctx.stores;
    const none: Awaited<ReturnType<typeof counters.read>> = {};
    const [{ today, total, stats }, freq, hides] = await Promise.all([
      countersFor(ctx.stores).get(ctx.stores, set, day, input.now, ctx.config.adStateTtlMs),
      input.perUserCounters === false ? none : counters.read(FREQ, [input.openid], day),
      input.perUserCounters === false ? none : counters.read(HIDE, [input.openid], ALL),
    ]);
    const seen = freq[input.openid] ?? {};
    // Impressions are counted only once their events arrive, which may be pages later: today's ads
    // of this session's earlier slates count too. One already tracked is then counted twice, so the
    // cap errs on the side of showing an ad less often, never more.
    const servedToday = new Map<string, number>();
    for (const a of input.sessionAds ?? [])
      if (dayBucket(a.at) === day) servedToday.set(a.adId, (servedToday.get(a.adId) ?? 0) + 1);
    const hidden = hides[input.openid] ?? {};
    const user = userFeatures(
      input.openid,
      input.profile,
      input.now,
      input.personalised,
      input.graph ?? null,
    );
    // The model's CTR of an ad, scored with the request's other ads (per position) when the scorer can batch.
    const byPosition = new Map<number, (card: CardItem) => number>();
    const modelCtr = (adId: string, position: number): number => {
      const scorer = input.scorer;
      if (!scorer) return params.priorCtr;
      const ctx: CardContext = { at: input.now, position, scene: input.scene };
      if (!scorer.scoreFor) return scorer.predict(cardInput(user, { adId, meta: null }, ctx));
      let score = byPosition.get(position);
      if (!score) byPosition.set(position, (score = scorer.scoreFor(user, ctx)));
      return score({ adId, meta: null });
    };
    // oCPC campaigns bid target × pCVR × factor; the user's order count only when personalised.
    const bid = live.some((c) => c.bidding?.mode === 'ocpc')
      ? bidderFor(
          await ocpcFor(ctx.stores).get(ctx.stores, input.now, ctx.log),
          input.personalised ? (input.profile?.payments?.orders ?? 0) : 0,
        )
      : undefined;
    const plan = planAds(
      {
        campaigns: live,
        audience,
        now: input.now,
        positions,
        state: (c) => ({
          spentTodayFen: today[c.id]?.spentFen ?? 0,
          spentTotalFen: total[c.id]?.spentFen ?? 0,
          seenToday: (seen[adField(c.id)] ?? 0) + (servedToday.get(c.id) ?? 0),
          hidden: (hidden[adField(c.id)] ?? 0) > 0,
          impressions: stats[c.id]?.impressions ?? 0,
          clicks: stats[c.id]?.clicks ?? 0,
        }),
        ctr: (c, position) => modelCtr(c.id, position),
        ...(bid ? { bid } : {}),
      },
      params,
      input.random ?? mulberry32(randomInt(2 ** 31)),
    );
    // A creative experiment counts only while its campaign is still its merchant's.
    const creativeOf = new Map(
      (input.creatives ?? [])
        .filter((a) => a.campaignId !== undefined)
        .map((a) => [a.campaignId!, a]),
    );
    const exposures: Assignment[] = [];
    const ads: AdCard[] = plan.ads.map((p) =>
      adCard(p.campaign, p.position, p.reason, advertisers, creativeOf, exposures),
    );
    const cards = weave<ContentCard, AdCard>(input.content, ads, positions, input.offset);
    const byId = new Map(plan.ads.map((p) => [p.campaign.id, p]));
    const slateCards: SlateCard[] = cards
      .filter((c): c is AdCard => c.kind === 'ad')
      .map((c) => {
        const p = byId.get(c.adId)!;
        return {
          position: c.position,
          adId: c.adId,
          score: p.ctr,
          propensity: p.propensity,
          ...(p.propensitySamples !== undefined ? { propensitySamples: p.propensitySamples } : {}),
          explored: p.explored,
          priceFen: p.priceFen,
        };
      });
    await recordWins(ctx, slateCards, input.now);
    return { cards, slateCards, exposures };
  } catch (err) {
    ctx.log.error('ads not served', { error: err instanceof Error ? err.message : String(err) });
    return contentOnly();
  }
}
