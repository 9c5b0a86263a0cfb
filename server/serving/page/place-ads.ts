/**
 * servePage's ads stage: the page's content handed to the ads use case (ads.ts: eligible
 * campaigns, targeting, frequency caps and hides, the auction with pacing and exploration, the
 * fixed slots), with what the page knows of the user, its seeded draws and the experiment's slots.
 */
import type { ContentCard } from '../../../typings';
import type { ParameterOverrides } from '../../engine/experiments/assign';
import { mulberry32 } from '../../engine/models/rng';
import type { FunctionContext } from '../../runtime/function';
import { serveAds, type ServeAdsInput, type ServedAds } from '../ads';
import type { PageState } from './read';
import { creativesOf, type SessionServed } from './request';

/** What the page brings to its ads: its content in order, its clock and seed, the experiment overrides, the session so far. */
export interface PageForAds {
  content: readonly ContentCard[];
  now: number;
  seed: number;
  overrides: ParameterOverrides;
  before: SessionServed;
}

/** The ads use case's input for this page (pure). */
export function adsInputOf(
  openid: string,
  state: Pick<PageState, 'req' | 'snap' | 'scorer' | 'profile' | 'graph'>,
  page: PageForAds,
): ServeAdsInput {
  const { req, snap } = state;
  const { carried } = req.session;
  return {
    openid,
    personalised: req.personalised,
    scene: req.scene,
    profile: state.profile,
    graph: state.graph,
    shared: req.shared,
    riskTolerance: req.riskTolerance,
    adScene: req.adScene ?? null,
    categoryOf: (id) => snap.items.get(id)?.category,
    content: page.content,
    offset: req.session.offset,
    now: page.now,
    scorer: state.scorer,
    // The ads' own stream from the page's seed, apart from the ranking's.
    random: mulberry32(page.seed ^ 0x5bd1e995),
    slots: page.overrides.adSlots,
    // A carried session's earlier ads ride in its cursor; a logged one's were read from its slates.
    sessionAds: carried ? carried.ads : page.before.ads,
    perUserCounters: req.store,
    creatives: creativesOf(req),
  };
}

/** Ads go into their fixed slots at the end of the content pipeline; content positions shift around them. */
export const placeAds = (
  ctx: FunctionContext,
  state: PageState,
  page: PageForAds,
): Promise<ServedAds> => serveAds(ctx, adsInputOf(ctx.openid, state, page));
