/**
 * Targeting: whether a campaign's audience includes this request, and why ("为什么看到这条广告").
 * Personal attributes (interests, gender, age band, city) are used only for a personalised
 * request, and gender / age band / city only when the user shared them: an ad restricted on an
 * attribute the user did not share is not shown to them. A non-personalised request (PIPL art. 24
 * opt-out) is targeted by context only: the scene and the content on the page.
 */
import { cityKey } from '../city';
import type { AdReason, AgeBand, CampaignTargeting } from '../../../typings';
import type { AdScene } from './scene';

/** The top shares a "likely buyers" audience may be (of users ranked by purchase propensity). */
export const LIKELY_BUYER_SHARES = [0.1, 0.2, 0.3, 0.5] as const;

/** Every age band a campaign may target and a user may share, youngest first. */
export const AGE_BANDS = [
  '18-24',
  '25-34',
  '35-44',
  '45-54',
  '55+',
] as const satisfies readonly AgeBand[];

export interface Audience {
  personalised: boolean;
  /** The user's interest tags and categories, strongest first (ignored unless personalised). */
  interests: readonly string[];
  /** What the user has shared, each only when shared (ignored unless personalised). */
  gender?: 'male' | 'female';
  ageBand?: string;
  city?: string;
  /** WeChat launch scene of the request. */
  scene: number | null;
  /** Categories and tags of the content on this page (contextual targeting). */
  context: readonly string[];
  /** The user's risk tolerance C1–C5 (suitability); absent or null: not assessed. */
  riskTolerance?: number | null;
  /** The deployment's scene (SCENE): only campaigns about it serve (scene.ts); absent: every campaign. */
  adScene?: AdScene | null;
  /** A catalog item's category (a campaign landing on an item is about its category); absent: unknown. */
  categoryOf?: (itemId: string) => string | undefined;
  /**
   * Where the user's purchase propensity ranks: the share of scored users at or above it (0.01:
   * the top 1 %); absent or null when not scored (ignored unless personalised).
   */
  buyerTopShare?: number | null;
}

const restricts = (list: readonly unknown[]): boolean => list.length > 0;

const sameCity = (a: string, b: string): boolean => a === b || cityKey(a) === cityKey(b);

/** The reason the campaign matches this audience, or null when it does not. */
export function matchTargeting(t: CampaignTargeting, a: Audience): AdReason | null {
  if (restricts(t.scenes) && (a.scene === null || !t.scenes.includes(a.scene))) return null;

  const demographic: string[] = [];
  const checks: [readonly string[], string | undefined, string][] = [
    [t.genders, a.gender, '性别'],
    [t.ageBands, a.ageBand, '年龄段'],
    [t.cities, a.city, '城市'],
  ];
  for (const [list, value, label] of checks) {
    if (!restricts(list)) continue;
    if (!a.personalised || value === undefined) return null;
    if (label === '城市' ? !list.some((c) => sameCity(c, value)) : !list.includes(value))
      return null;
    demographic.push(label === '城市' ? `${label}「${value}」` : label);
  }

  // Likely buyers narrow the audience like a shared attribute: personalised and scored users only.
  if (t.likelyBuyers !== undefined) {
    const share = a.buyerTopShare;
    if (!a.personalised || share === undefined || share === null || share > t.likelyBuyers)
      return null;
  }

  if (restricts(t.interestTags)) {
    const wanted = new Set(t.interestTags);
    if (a.personalised) {
      const hit = a.interests.find((x) => wanted.has(x));
      if (hit !== undefined) return { code: 'interest', text: `你关注了「${hit}」` };
    }
    const inContext = a.context.find((x) => wanted.has(x));
    if (inContext !== undefined)
      return { code: 'context', text: `与你正在浏览的「${inContext}」内容相关` };
    return null;
  }
  if (demographic.length > 0)
    return { code: 'demographic', text: `根据你分享的${demographic.join('、')}` };
  if (t.likelyBuyers !== undefined) return { code: 'buyers', text: '根据你近期的消费记录' };
  return { code: 'broad', text: '该广告面向所有用户投放' };
}
