/**
 * The application scenes (SCENE=general|finance|travel|support): one system, configured per
 * deployment — which demo world the local host seeds, which content and ads the feed serves, which
 * candidate sources run and which entry points the Mini Program puts first.
 */
import type { AppSceneName, AppSceneView } from '../typings';

export interface SceneSpec {
  name: AppSceneName;
  /** Its name as people read it (the merchant's campaign editor names the scene). */
  label: string;
  /** What the local host seeds into an empty store: the shelves beside the core world (server/host/demo-world.ts). */
  world: { finance: boolean; travel: boolean };
  /**
   * Content categories the feed serves (every channel and 推荐); null serves every category.
   * A rule, not only seed data: it holds on a store seeded under another scene.
   */
  categories: readonly string[] | null;
  /**
   * Risk-rated financial products (R1–R5) are about this scene: their campaigns advertise in it
   * whatever their targeting (server/engine/ads/scene.ts; the other campaigns by category).
   */
  ratedProducts: boolean;
  /** The nearby / destination candidate source (旅游出行): off, a request's location and destination are ignored. */
  nearby: boolean;
  /** What the user's travel-interest ties liked is a candidate source (旅游出行; the social step keeps the ties everywhere). */
  travelTies: boolean;
  /** The client's view: channel tabs, entry points, the place bar. */
  view: AppSceneView;
}

/** The general world's channel tabs (its content categories; the 理财 shelf shows in 推荐). */
const GENERAL_CHANNELS = ['美食', '旅行', '科技', '健康', '教育', '时尚', '体育', '财经'];

export const SCENES: Readonly<Record<AppSceneName, SceneSpec>> = {
  // Everything visible: the default, and what the system was before scenes.
  general: {
    name: 'general',
    label: '综合',
    world: { finance: true, travel: true },
    categories: null,
    ratedProducts: true,
    nearby: true,
    travelTies: false,
    view: { name: 'general', channels: GENERAL_CHANNELS, entries: [], placeBar: false },
  },
  // 金融理财: the 理财 shelf and finance articles, the risk questionnaire first (suitability
  // withholds every rated product until the user has a tolerance).
  finance: {
    name: 'finance',
    label: '金融理财',
    world: { finance: true, travel: false },
    categories: ['理财', '财经'],
    ratedProducts: true,
    nearby: false,
    travelTies: false,
    view: { name: 'finance', channels: ['理财', '财经'], entries: ['risk'], placeBar: false },
  },
  // 旅游出行: routes, guides and hotels with places, the nearby / destination source, 我的行程.
  travel: {
    name: 'travel',
    label: '旅游出行',
    world: { finance: false, travel: true },
    categories: ['旅行'],
    ratedProducts: false,
    nearby: true,
    travelTies: true,
    view: { name: 'travel', channels: ['旅行'], entries: ['trips'], placeBar: true },
  },
  // 智能客服: the general content without the shelves, the FAQ entry first.
  support: {
    name: 'support',
    label: '智能客服',
    world: { finance: false, travel: false },
    categories: null,
    ratedProducts: true,
    nearby: false,
    travelTies: false,
    view: { name: 'support', channels: GENERAL_CHANNELS, entries: ['support'], placeBar: false },
  },
};

export const SCENE_NAMES = Object.keys(SCENES) as AppSceneName[];

/** The scene's spec (config.scene is validated against SCENE_NAMES at start). */
export function sceneOf(name: AppSceneName | undefined): SceneSpec {
  return (name && SCENES[name]) || SCENES.general;
}
