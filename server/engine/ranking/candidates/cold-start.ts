/**
 * Cold start (a user with no engagement yet, or one who opted out of personalisation): how
 * much popular and fresh content to blend, by WeChat launch scene. Arriving from a chat share
 * leans on what is popular (social proof); from search, fresher; elsewhere, mostly popular with
 * some fresh, what the user's close ties liked and their followed authors' new items when they have any. Exploration is not blended in (its items' chances could not be logged): the
 * pipeline's ε mixture explores, with the cold-start weight `coldExploreEpsilon`.
 */

export interface SourceWeights {
  popular: number;
  fresh: number;
  explore: number;
  neighbours: number;
  interests: number;
  /** What close ties engaged with (candidates/social.ts); absent: 0. */
  social?: number;
  /** New items of followed authors (candidates/authors.ts); absent: 0. */
  authors?: number;
}

/** Scene numbers per group (WeChat 场景值 list). */
const SHARE_SCENES = new Set([1007, 1008, 1036, 1044, 1073, 1074, 1096]);
const SEARCH_SCENES = new Set([1005, 1006, 1027, 1042, 1053, 1054]);

export type SceneGroup = 'share' | 'search' | 'other';

export function sceneGroup(scene: number | null): SceneGroup {
  if (scene !== null && SHARE_SCENES.has(scene)) return 'share';
  if (scene !== null && SEARCH_SCENES.has(scene)) return 'search';
  return 'other';
}

const COLD: Record<SceneGroup, SourceWeights> = {
  // A newcomer with ties (they opened a friend's share, were followed) starts from what those ties liked.
  share: {
    popular: 1,
    fresh: 0.2,
    explore: 0,
    neighbours: 0,
    interests: 0,
    social: 0.5,
    authors: 0.3,
  },
  search: {
    popular: 0.6,
    fresh: 0.5,
    explore: 0,
    neighbours: 0,
    interests: 0,
    social: 0.3,
    authors: 0.3,
  },
  other: {
    popular: 1,
    fresh: 0.35,
    explore: 0,
    neighbours: 0,
    interests: 0,
    social: 0.3,
    authors: 0.3,
  },
};

export function coldStartWeights(scene: number | null): SourceWeights {
  return COLD[sceneGroup(scene)];
}
