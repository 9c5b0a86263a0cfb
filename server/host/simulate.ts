/**
 * Simulated users, so the learning loop is visible: a seeded population with hidden interests
 * over categories and tags browses the feed through `recommend`, sends viewable impressions,
 * and clicks, likes, shares or hides with probabilities that follow those interests and the
 * card's place on the page (position bias); ad cards get impressions and occasional clicks (so
 * charging and frequency caps run). Consent is recorded through `account` first, and every
 * event goes through the real `track` contract. One simulator serves `npm start -- --simulate`,
 * `npm run simulate` and the tests.
 */
import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type {
  AdCard,
  AgeBand,
  ApiResult,
  FunctionMap,
  FunctionName,
  RecommendResponse,
  TrackedEvent,
} from '../../typings';
import { AGE_BANDS } from '../engine/ads/targeting';
import { QUESTIONNAIRE_VERSION, RISK_QUESTIONS } from '../engine/risk-assessment';
import { DEFAULT_NEARBY, type GeoPoint } from '../engine/ranking/candidates/nearby';
import type { SimFeed } from './oracle';

/** Calls a function as a user: in process or over HTTP, the caller decides. */
export type CallAs = <N extends FunctionName>(
  fn: N,
  openid: string,
  payload: FunctionMap[N]['req'],
) => Promise<ApiResult<FunctionMap[N]['res']>>;

export interface SimUser {
  openid: string;
  /** Hidden click propensity per category, 0..1. */
  affinity: Record<string, number>;
  /** Hidden liking per tag, 0..1 (missing: 0); scales the category's propensity between 0.5× and 1.5×. */
  tagAffinity: Record<string, number>;
  /** What the user shares for ad targeting through `account` (demographics.set), if anything. */
  shared?: { gender?: 'male' | 'female'; ageBand?: AgeBand; city?: string };
  /** With a social plan: the user's planted community and friends (openids). */
  community?: number;
  friends?: string[];
  /** 金融理财: the questionnaire answers given, and the tolerance `account` assessed (null until then). */
  risk?: { answers: number[]; tolerance: number | null };
  /** 旅游出行: where the user is (sent with every request, as after tapping 附近) … */
  location?: GeoPoint;
  /** … or the destination city they picked. */
  destination?: string;
  /** The categories chosen in first-launch onboarding (选择你感兴趣的内容); absent: skipped it. */
  onboarding?: string[];
}

/**
 * A planted social structure (a stochastic block model: Holland, Laskey & Leinhardt 1983): users
 * fall into `communities` (user i in community i mod communities); two users are friends with
 * probability `pIn` in one community and `pOut` across; each community loves one category of its
 * own (its members' affinity for it is raised to 0.5–0.8: homophily). A friend opens a user's
 * share with probability `openProbability` (a `share_open` through `track`, sent with the
 * friend's next batch) and then likes the item with probability 0.3 × their interest in it.
 */
export interface SocialPlan {
  communities: number;
  pIn: number;
  pOut: number;
  openProbability: number;
}

/**
 * How a population exercises the scenes (issue 19): shares of users who answer the risk
 * questionnaire, who share a location near one of the places, or who pick one's city as their
 * destination; drawn from a stream of their own, so everything else stays as it was.
 */
export interface SceneExercise {
  riskShare: number;
  locationShare: number;
  destinationShare: number;
  places: readonly { city: string; lat: number; lng: number }[];
  /** The risk level of a served card's item or campaign (undefined: not rated), to count unsuitable cards. */
  riskOf(card: AdCard | { kind: 'content'; item: { id: string } }): number | undefined;
}

export interface RoundReport {
  slates: number;
  impressions: number;
  clicks: number;
  likes: number;
  shares: number;
  /** Shares opened by a friend (with a social plan). */
  shareOpens: number;
  hides: number;
  adImpressions: number;
  adClicks: number;
  /** Events `track` stored. */
  stored: number;
  rejected: number;
  /** Cards (content or ad) with a risk level served, and those above the user's tolerance (none: every rated one). */
  rated: number;
  unsuitable: number;
  /** Content cards served to users who shared a location, and those within the nearby radius (200 km). */
  locatedCards: number;
  nearbyCards: number;
  /** Content cards served to users with a destination, and those in its city. */
  destinationCards: number;
  atDestination: number;
}

export interface SimulationOptions {
  /** Users in the population (default 40). */
  users?: number;
  /** Tags of each category (the demo world's): users' tag tastes are drawn from their loved categories' tags. */
  tags?: Readonly<Record<string, readonly string[]>>;
  /**
   * Users switch personalisation off through `account` before browsing: the feed then runs its
   * non-personalised path (popularity-led), the baseline `--compare` measures learning against.
   */
  personalised?: boolean;
  /** Cards per page (default 10). */
  pageSize?: number;
  /**
   * Share of users (default 0) who share some of gender, age band and city for ad targeting
   * (each attribute then with probability ½), so city- and age-targeted campaigns serve them.
   */
  sharing?: number;
  /** Cities users live in (the demo merchants'), for those who share one. */
  cities?: readonly string[];
  /** Pages come from this policy instead of `recommend`, and nothing is tracked (the oracle: oracle.ts). */
  feed?: SimFeed;
  /** Sees every page served and the content items the user opened from it (bench:prefetch). */
  observe?: (user: SimUser, slate: RecommendResponse, opened: string[]) => void;
  /** Sees each user's events of a round before they are sent (`npm run gen:preload -- --simulated`). */
  onEvents?: (user: SimUser, events: readonly TrackedEvent[]) => void;
  /** A planted social graph (default none: users share, but nobody opens). */
  social?: SocialPlan;
  /** Users answer the questionnaire and share places (the scenes); none do without it. */
  scenes?: SceneExercise;
  /**
   * Share of users (default 0) who complete the first-launch onboarding (选择你感兴趣的内容) through
   * `account` interests.set before their first page; the rest skip it (drawOnboarding).
   */
  onboarding?: number;
  /** Told of every ad click (its slate card and the simulated time): the paying users of sim-ocpc.ts. */
  onAdClick?: (user: SimUser, adId: string, slateId: string, position: number, at: number) => void;
}

/** One simulated user in this many is merchant staff, who opens the merchant subpackage from 我的. */
export const MERCHANT_EVERY = 20;
/** The routes the simulated navigation names (app.json's). */
export const SIM_PAGES = {
  feed: 'pages/feed/index',
  detail: 'pages/detail/index',
  ad: 'pages/ad/index',
  me: 'pages/me/index',
  merchantHome: 'merchant/pages/home/index',
  merchantReport: 'merchant/pages/report/index',
} as const;

/** Click probability falls with the card's place on the page: 1 / (1 + POSITION_DECAY × k). */
const POSITION_DECAY = 0.15;
/** An ad is clicked at this base rate, raised by the user's interest in the advertiser's category. */
const AD_BASE_CTR = 0.01;

/** What every event about a card carries. */
interface CardContext {
  sessionId: string;
  page: string;
  clientTime: number;
  slateId: string;
  position: number;
}

const emptyReport = (): RoundReport => ({
  slates: 0,
  impressions: 0,
  clicks: 0,
  likes: 0,
  shares: 0,
  shareOpens: 0,
  hides: 0,
  adImpressions: 0,
  adClicks: 0,
  stored: 0,
  rejected: 0,
  rated: 0,
  unsuitable: 0,
  locatedCards: 0,
  nearbyCards: 0,
  destinationCards: 0,
  atDestination: 0,
});

export class Simulation {
  private rng: RandomGenerator;
  readonly users: SimUser[];
  private readonly personalised: boolean;
  private readonly pageSize: number;
  private readonly feed?: SimFeed;
  private readonly observe?: SimulationOptions['observe'];
  private readonly onEvents?: SimulationOptions['onEvents'];
  /** The navigation draws (route entries), a stream of their own: the browsing draws stay as they were. */
  private readonly nav: RandomGenerator;
  private readonly scenes?: SceneExercise;
  private readonly onAdClick?: SimulationOptions['onAdClick'];
  private readonly prepared = new Set<string>();
  /** Ad impressions per "openid adId" over the whole simulation (frequency caps are per day). */
  readonly adViews = new Map<string, number>();
  private readonly social?: { plan: SocialPlan; rng: RandomGenerator };
  /** Friends' reactions to shares, sent with each friend's next batch. */
  private readonly pending = new Map<string, TrackedEvent[]>();

  constructor(
    seed: number,
    readonly categories: readonly string[],
    usersOrOptions: number | SimulationOptions = {},
  ) {
    const o: SimulationOptions =
      typeof usersOrOptions === 'number' ? { users: usersOrOptions } : usersOrOptions;
    this.rng = xoroshiro128plus(seed);
    this.personalised = o.personalised ?? true;
    this.pageSize = o.pageSize ?? 10;
    this.feed = o.feed;
    this.observe = o.observe;
    this.onEvents = o.onEvents;
    this.nav = xoroshiro128plus(seed ^ 0x9a7e);
    this.scenes = o.scenes;
    this.onAdClick = o.onAdClick;
    this.users = Array.from({ length: o.users ?? 40 }, (_, u) => {
      // Each user loves one or two categories and barely cares for the rest.
      const loves = new Set([this.pick(categories), this.pick(categories)]);
      const affinity = Object.fromEntries(
        categories.map((c) => [
          c,
          loves.has(c) ? 0.5 + 0.3 * this.uniform() : 0.03 * this.uniform(),
        ]),
      );
      // Within what they love, some topics more than others: a few favourite tags.
      const tagAffinity: Record<string, number> = {};
      for (const c of loves)
        for (const t of o.tags?.[c] ?? [])
          if (this.uniform() < 0.3) tagAffinity[t] = 0.5 + 0.5 * this.uniform();
      return { openid: `sim-user-${String(u).padStart(3, '0')}`, affinity, tagAffinity };
    });
    // Drawn from a stream of their own, so the rest of the population and the browsing draws stay as they were.
    const own = xoroshiro128plus(seed ^ 0x5eed);
    const draw = (n: number) => unsafeUniformIntDistribution(0, n - 1, own);
    const coin = (p: number) => unsafeUniformIntDistribution(0, 999, own) < p * 1000;
    for (const user of this.users) {
      if (!coin(o.sharing ?? 0)) continue;
      const shared: NonNullable<SimUser['shared']> = {};
      if (coin(0.5)) shared.gender = draw(2) === 0 ? 'male' : 'female';
      if (coin(0.5)) shared.ageBand = AGE_BANDS[draw(AGE_BANDS.length)];
      if (o.cities?.length && coin(0.5)) shared.city = o.cities[draw(o.cities.length)];
      if (Object.keys(shared).length) user.shared = shared;
    }
    if (o.social) this.social = { plan: o.social, rng: this.plantSocial(seed, o.social) };
    if (o.scenes) this.drawScenes(seed, o.scenes);
    if (o.onboarding) this.drawOnboarding(seed, o.onboarding);
  }

  /**
   * Who completes onboarding, and what they pick: 1–3 categories (uniform), drawn without
   * replacement in proportion to the user's own category interest — mostly what they love, now
   * and then a category they barely care for, as a person ticking boxes from taste rather than
   * from an exact ranking would. A stream of its own, drawn for every user whether they complete
   * or not, so the share completing changes nobody's choice and no other draw.
   */
  private drawOnboarding(seed: number, completion: number): void {
    const own = xoroshiro128plus(seed ^ 0x0b0a2d);
    const unit = () => unsafeUniformIntDistribution(0, 999_999, own) / 1_000_000;
    for (const user of this.users) {
      const completes = unit() < completion;
      const k = 1 + unsafeUniformIntDistribution(0, 2, own);
      const left = this.categories.map((c) => ({ c, w: user.affinity[c] ?? 0 }));
      const chosen: string[] = [];
      while (chosen.length < k && left.length) {
        const total = left.reduce((s, x) => s + x.w, 0);
        let r = unit() * total;
        let i = 0;
        while (i < left.length - 1 && r >= left[i].w) r -= left[i++].w;
        chosen.push(left.splice(i, 1)[0].c);
      }
      if (completes) user.onboarding = chosen;
    }
  }

  /** The planted communities, their categories and the friendships (a stream of their own). */
  private plantSocial(seed: number, plan: SocialPlan): RandomGenerator {
    const rng = xoroshiro128plus(seed ^ 0x50c1a1);
    const u01 = () => unsafeUniformIntDistribution(0, 1_000_000, rng) / 1_000_001;
    const offset = unsafeUniformIntDistribution(0, this.categories.length - 1, rng);
    const n = this.users.length;
    this.users.forEach((user, i) => {
      user.community = i % plan.communities;
      user.friends = [];
      const loved = this.categories[(offset + user.community) % this.categories.length];
      user.affinity[loved] = Math.max(user.affinity[loved] ?? 0, 0.5 + 0.3 * u01());
    });
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const [a, b] = [this.users[i], this.users[j]];
        if (u01() < (a.community === b.community ? plan.pIn : plan.pOut)) {
          a.friends!.push(b.openid);
          b.friends!.push(a.openid);
        }
      }
    return rng;
  }

  /** Friends open a share (and may like its item); queued for their next batch. */
  private shareReactions(
    sharer: SimUser,
    item: { id: string; category: string; tags: readonly string[] },
    shareId: string,
    clientTime: number,
    report: RoundReport,
  ): void {
    if (!this.social) return;
    const { plan, rng } = this.social;
    const u01 = () => unsafeUniformIntDistribution(0, 1_000_000, rng) / 1_000_001;
    const hex = (n: number) =>
      Array.from({ length: n }, () => unsafeUniformIntDistribution(0, 15, rng).toString(16)).join(
        '',
      );
    // From the plan's own stream, so the browsing draws stay as they were.
    const eventId = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
    for (const id of sharer.friends ?? []) {
      if (u01() >= plan.openProbability) continue;
      const friend = this.users.find((u) => u.openid === id)!;
      const base = {
        sessionId: `sim-share-${shareId.slice(0, 8)}`,
        page: 'pages/detail/index',
        clientTime,
        itemId: item.id,
      };
      const out = this.pending.get(id) ?? [];
      out.push({ ...base, eventId: eventId(), type: 'share_open', shareId, target: 'chat' });
      report.shareOpens++;
      if (u01() < 0.3 * this.interest(friend, item.category, item.tags)) {
        out.push({ ...base, eventId: eventId(), type: 'like' });
        report.likes++;
      }
      this.pending.set(id, out);
    }
  }

  /** Who answers the questionnaire (and how), who shares a location and who picks a destination. */
  private drawScenes(seed: number, x: SceneExercise): void {
    const own = xoroshiro128plus(seed ^ 0x5ce2e);
    const unit = () => unsafeUniformIntDistribution(0, 999_999, own) / 1_000_000;
    const draw = (n: number) => unsafeUniformIntDistribution(0, n - 1, own);
    for (const user of this.users) {
      if (unit() < x.riskShare)
        user.risk = { answers: RISK_QUESTIONS.map((q) => draw(q.options.length)), tolerance: null };
      if (!x.places.length) continue;
      const where = unit();
      const place = x.places[draw(x.places.length)];
      if (where < x.locationShare) {
        // Somewhere in the place's city: up to about 10 km off the sight.
        user.location = {
          lat: place.lat + (unit() - 0.5) * 0.18,
          lng: place.lng + (unit() - 0.5) * 0.18,
        };
      } else if (where < x.locationShare + x.destinationShare) user.destination = place.city;
    }
  }

  private uniform(): number {
    return unsafeUniformIntDistribution(0, 1_000_000, this.rng) / 1_000_001;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[unsafeUniformIntDistribution(0, xs.length - 1, this.rng)];
  }

  private uuid(): string {
    const hex = (n: number) =>
      Array.from({ length: n }, () =>
        unsafeUniformIntDistribution(0, 15, this.rng).toString(16),
      ).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[unsafeUniformIntDistribution(0, 3, this.rng)]}${hex(3)}-${hex(12)}`;
  }

  /** How much a user likes an item, 0..1: the category's propensity scaled by the item's tags. */
  interest(user: SimUser, category: string, tags: readonly string[] = []): number {
    const cat = user.affinity[category] ?? 0;
    if (tags.length === 0) return cat;
    const tagTaste = tags.reduce((s, t) => s + (user.tagAffinity[t] ?? 0), 0) / tags.length;
    return Math.min(1, cat * (0.5 + tagTaste * 2));
  }

  /** Click probability of a user for a card `k` places down the page: interest × position bias. */
  clickProbability(
    user: SimUser,
    category: string,
    k: number,
    tags: readonly string[] = [],
  ): number {
    return this.interest(user, category, tags) / (1 + POSITION_DECAY * k);
  }

  /** The advertiser's category, as the creative names it (the demo world's descriptions carry "city·category"). */
  private adCategory(ad: AdCard): string | null {
    const text = `${ad.creative.title} ${ad.creative.description}`;
    return this.categories.find((c) => text.includes(c)) ?? null;
  }

  /** Consent once (track stores nothing without it), and the personalisation choice of this population. */
  private async prepare(call: CallAs, user: SimUser): Promise<boolean> {
    if (this.prepared.has(user.openid)) return true;
    const res = await call('account', user.openid, {
      action: 'consent.set',
      noticeVersion: 'simulated',
      granted: true,
    });
    if (!res.ok) return false;
    if (!this.personalised) {
      const off = await call('account', user.openid, {
        action: 'personalization.set',
        enabled: false,
      });
      if (!off.ok) return false;
    } else if (user.shared) {
      const shared = await call('account', user.openid, {
        action: 'demographics.set',
        ...user.shared,
      });
      if (!shared.ok) return false;
    }
    if (user.onboarding) {
      // First launch: the onboarding page, right after the privacy notice (both arms alike; with
      // personalisation off the choice is kept but not used, as in the product).
      const chose = await call('account', user.openid, {
        action: 'interests.set',
        categories: user.onboarding,
      });
      if (!chose.ok) return false;
    }
    if (this.personalised && user.risk) {
      const assessed = await call('account', user.openid, {
        action: 'risk.assess',
        version: QUESTIONNAIRE_VERSION,
        answers: user.risk.answers,
      });
      if (!assessed.ok || !('assessment' in assessed.data)) return false;
      user.risk.tolerance = assessed.data.assessment?.tolerance ?? null;
    }
    this.prepared.add(user.openid);
    return true;
  }

  /** Every user opens the feed (a channel or "for you", one or two pages) and reacts to what is shown. */
  async round(call: CallAs, clientTime: number): Promise<RoundReport> {
    const report = emptyReport();
    for (const user of this.users) {
      if (!this.feed && !(await this.prepare(call, user))) continue;
      const channel = this.uniform() < 0.5 ? 'foryou' : this.pick(this.categories);
      const pages = 1 + unsafeUniformIntDistribution(0, 1, this.rng);
      let cursor: string | undefined;
      const events: TrackedEvent[] = this.pending.get(user.openid) ?? [];
      this.pending.delete(user.openid);
      const sessionId = `sim-${this.uuid().slice(0, 8)}`;
      for (let p = 0; p < pages; p++) {
        const res = this.feed
          ? { ok: true as const, data: this.feed(user, channel, cursor, this.pageSize) }
          : await call('recommend', user.openid, {
              channel,
              limit: this.pageSize,
              scene: 1001,
              ...(cursor ? { cursor } : {}),
              ...(user.location ? { location: user.location } : {}),
              ...(user.destination ? { destination: user.destination } : {}),
            });
        if (!res.ok) break;
        const slate: RecommendResponse = res.data;
        report.slates++;
        this.countScenes(user, slate, report);
        const opened: string[] = [];
        slate.cards.forEach((card) => {
          // Places down the page, counting the ad slots the page left for ads.
          const k = card.position - slate.cards[0].position;
          const base: CardContext = {
            sessionId,
            page: 'pages/feed/index',
            clientTime,
            slateId: slate.slateId,
            position: card.position,
          };
          if (card.kind === 'ad') {
            this.reactToAd(user, card, base, events, report, k);
            return;
          }
          const it = card.item;
          const item = { ...base, itemId: it.id };
          events.push({ ...item, eventId: this.uuid(), type: 'impression' });
          report.impressions++;
          const interest = this.interest(user, it.category, it.tags);
          if (this.uniform() < this.clickProbability(user, it.category, k, it.tags)) {
            events.push({ ...item, eventId: this.uuid(), type: 'click' });
            report.clicks++;
            opened.push(it.id);
            events.push({
              ...item,
              eventId: this.uuid(),
              type: 'dwell',
              dwellMs: 5_000 + Math.round(60_000 * interest * this.uniform()),
            });
            if (this.uniform() < 0.3) {
              events.push({ ...item, eventId: this.uuid(), type: 'like' });
              report.likes++;
            }
            if (this.uniform() < 0.1 * interest) {
              const shareId = this.uuid();
              events.push({
                ...item,
                eventId: this.uuid(),
                type: 'share',
                shareId,
                target: 'chat',
              });
              report.shares++;
              this.shareReactions(user, it, shareId, clientTime, report);
            }
          } else if (this.uniform() < 0.02 * (1 - interest)) {
            // "Not interested": now and then on something the user does not care for.
            events.push({ ...item, eventId: this.uuid(), type: 'hide', reason: 'not_interested' });
            report.hides++;
          }
        });
        this.observe?.(user, slate, opened);
        if (!slate.cursor) break;
        cursor = slate.cursor;
      }
      this.navigate(user, sessionId, clientTime, events);
      this.onEvents?.(user, events);
      for (let i = 0; i < (this.feed ? 0 : events.length); i += 100) {
        const res = await call('track', user.openid, {
          schemaVersion: 1,
          events: events.slice(i, i + 100),
        });
        if (res.ok) {
          report.rejected += res.data.rejected.length;
          report.stored += res.data.accepted.length;
        } else report.rejected += Math.min(100, events.length - i);
      }
    }
    return report;
  }

  /** Suitability and places on a served page (the scenes' measures). */
  private countScenes(user: SimUser, slate: RecommendResponse, report: RoundReport): void {
    if (!this.scenes) return;
    const tolerance = user.risk?.tolerance ?? null;
    for (const card of slate.cards) {
      const level = this.scenes.riskOf(card);
      if (level !== undefined) {
        report.rated++;
        if (tolerance === null || level > tolerance) report.unsuitable++;
      }
      if (card.kind !== 'content') continue;
      const place = card.item.place;
      if (user.location) {
        report.locatedCards++;
        if (place?.distanceKm !== undefined && place.distanceKm <= DEFAULT_NEARBY.radiusKm)
          report.nearbyCards++;
      }
      if (user.destination) {
        report.destinationCards++;
        if (place?.city === user.destination) report.atDestination++;
      }
    }
  }

  /** An ad card: a viewable impression, and a click now and then (more often for an advertiser in a loved category). */
  private reactToAd(
    user: SimUser,
    card: AdCard,
    base: CardContext,
    events: TrackedEvent[],
    report: RoundReport,
    k: number,
  ): void {
    const ad = { ...base, adId: card.adId };
    events.push({ ...ad, eventId: this.uuid(), type: 'impression' });
    report.adImpressions++;
    const key = `${user.openid} ${card.adId}`;
    this.adViews.set(key, (this.adViews.get(key) ?? 0) + 1);
    const category = this.adCategory(card);
    const interest = category ? (user.affinity[category] ?? 0) : 0;
    if (this.uniform() < (AD_BASE_CTR + 0.2 * interest) / (1 + POSITION_DECAY * k)) {
      events.push({ ...ad, eventId: this.uuid(), type: 'click' });
      report.adClicks++;
      this.onAdClick?.(user, card.adId, base.slateId, base.position, base.clientTime);
    }
  }

  /**
   * The session's page moves as the app's `route` entries report them (page_perf `route`, page and
   * fromPage): the feed to each opened detail or ad page and back; then now and then the 我的 tab,
   * from which merchant staff (one user in MERCHANT_EVERY) open the merchant subpackage's home and
   * at times its report. A model of navigation, not measured: it gives the transition model and
   * `gen:preload` moves into the subpackage (docs/simulation.md).
   */
  private navigate(
    user: SimUser,
    sessionId: string,
    clientTime: number,
    events: TrackedEvent[],
  ): void {
    const u01 = () => unsafeUniformIntDistribution(0, 999_999, this.nav) / 1_000_000;
    const moves: [string, string][] = [];
    for (const e of events) {
      if (e.type !== 'click' || e.sessionId !== sessionId) continue;
      const to = e.adId !== undefined ? SIM_PAGES.ad : SIM_PAGES.detail;
      moves.push([SIM_PAGES.feed, to], [to, SIM_PAGES.feed]);
    }
    const staff = this.users.indexOf(user) % MERCHANT_EVERY === 0;
    if (u01() < (staff ? 0.6 : 0.15)) {
      moves.push([SIM_PAGES.feed, SIM_PAGES.me]);
      if (staff && u01() < 0.8) {
        moves.push([SIM_PAGES.me, SIM_PAGES.merchantHome]);
        if (u01() < 0.5) moves.push([SIM_PAGES.merchantHome, SIM_PAGES.merchantReport]);
      } else moves.push([SIM_PAGES.me, SIM_PAGES.feed]);
    }
    for (const [from, to] of moves)
      events.push({
        eventId: this.uuid(),
        type: 'page_perf',
        clientTime,
        sessionId,
        page: to,
        fromPage: from,
        metric: 'route',
        durationMs: 80 + Math.round(400 * u01()),
      });
  }
}
