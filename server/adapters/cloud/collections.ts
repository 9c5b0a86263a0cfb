/**
 * Every collection the cloud adapter uses, with the indexes its queries need. This is the one
 * place collection names are written; the adapters import them, `first-use.ts` creates a missing
 * collection on its first write, and docs/cloud-deploy.md is generated from this list
 * (`npm run docs:cloud-indexes`; a test fails when the document drifts).
 *
 * wx-server-sdk cannot create indexes: they are added in the console (数据库 → 集合 → 索引管理).
 * Uniqueness the code relies on is always the `_id` index every collection has: documents are
 * keyed by a hash of their natural key (docId in sdk.ts), so no secondary index is unique.
 * Sort keys that only break ties (`_id`, `id`, `itemId`) are listed where the query orders by
 * them, so the index serves the whole order; a test checks that a declared index serves the
 * filter and sort of every query the tests send (test/helpers/index-coverage.ts).
 */

export type Order = 'asc' | 'desc';

export interface IndexSpec {
  /** Index name as entered in the console: fields and directions, letters, digits and _ only. */
  name: string;
  /** Fields in index order, each with its direction. */
  fields: readonly (readonly [field: string, order: Order])[];
  unique?: true;
  /**
   * The first field is filtered by a range that matches few documents (e.g. `_.exists(true)` on
   * a field only in-progress documents hold), so its matches are sorted in memory by the fields
   * after it; the index-coverage test accepts that order for this index only.
   */
  selectiveRange?: true;
  /** The adapter queries this index serves. */
  serves: string;
}

export interface CollectionSpec {
  name: string;
  /** What the collection holds (for the deploy document). */
  holds: string;
  indexes: readonly IndexSpec[];
}

const ix = (serves: string, ...fields: [string, Order][]): IndexSpec => ({
  name: fields.map(([f, o]) => `${f}_${o}`).join('_'),
  fields,
  serves,
});

/** Keyed by the name the adapters use; `name` is the collection's name in the database. */
export const COLLECTIONS = {
  events: {
    name: 'events',
    holds: 'tracked user events, one per (openid, eventId)',
    indexes: [
      ix(
        'EventLog.readAfter (training reads by server time, ties by _id), retention purge',
        ['serverTime', 'asc'],
        ['_id', 'asc'],
      ),
      ix(
        'EventLog.readForAd (merchant reports: one ad over a time range)',
        ['adId', 'asc'],
        ['serverTime', 'asc'],
        ['_id', 'asc'],
      ),
      ix(
        'countForUser, per-type counts in exports and erasure',
        ['openid', 'asc'],
        ['type', 'asc'],
      ),
      ix("personal-data pages (one user's events by _id)", ['openid', 'asc'], ['_id', 'asc']),
      ix(
        "PersonalData.activeSince (the inactive-user sweep: a user's events since a time)",
        ['openid', 'asc'],
        ['serverTime', 'asc'],
      ),
      {
        ...ix(
          "EventLog.finishPending (track calls stopped before counting: pending marks by age, then one call's)",
          ['pending', 'asc'],
          ['serverTime', 'asc'],
        ),
        // Only events of a call in progress (or stopped) hold `pending`: the range over it
        // matches a handful, which the service sorts in memory.
        selectiveRange: true,
      },
    ],
  },
  counters: {
    name: 'counters',
    holds: 'bucketed counters (ad pacing, rate limits, frequency caps)',
    indexes: [
      ix(
        'retention purge of short-lived counters (scope, bucket < cutoff)',
        ['scope', 'asc'],
        ['bucket', 'asc'],
      ),
      ix('personal-data pages and erasure of per-user counters', ['id', 'asc'], ['_id', 'asc']),
      ix(
        'PersonalData.usersWithState (users with ad hide counters, by openid)',
        ['scope', 'asc'],
        ['bucket', 'asc'],
        ['id', 'asc'],
      ),
    ],
  },
  catalog: {
    name: 'catalog',
    holds: 'content items',
    indexes: [
      ix(
        'Catalog.list({ status }) newest first (warm state, vocabulary)',
        ['status', 'asc'],
        ['publishedAt', 'desc'],
        ['id', 'desc'],
      ),
      ix('Catalog.list({}) newest first', ['publishedAt', 'desc'], ['id', 'desc']),
      ix(
        'Catalog.list({ category }) newest first',
        ['category', 'asc'],
        ['publishedAt', 'desc'],
        ['id', 'desc'],
      ),
    ],
  },
  blobs: {
    name: 'blobs',
    holds: 'where each blob is in cloud storage (model weights, trainer state)',
    indexes: [],
  },
  merchants: {
    name: 'merchants',
    holds: 'advertisers',
    indexes: [
      ix(
        "Ads.listMerchants (the admin's pick list, newest first)",
        ['createdAt', 'desc'],
        ['_id', 'asc'],
      ),
    ],
  },
  campaigns: {
    name: 'campaigns',
    holds: 'ad campaigns',
    indexes: [
      ix(
        "Ads.listCampaigns (a merchant's campaigns, newest first)",
        ['merchantId', 'asc'],
        ['createdAt', 'desc'],
        ['id', 'desc'],
      ),
      ix('Ads.listCampaignsByStatus (pages by id)', ['status', 'asc'], ['id', 'asc']),
    ],
  },
  slates: {
    name: 'slates',
    holds: 'served recommendation slates',
    indexes: [
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
      ix('retention purge of old slates (servedAt < cutoff)', ['servedAt', 'asc']),
    ],
  },
  userProfiles: {
    name: 'user_profiles',
    holds: 'per-user interest profiles',
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  itemNeighbours: {
    name: 'item_neighbours',
    holds: 'item-to-item neighbour lists',
    indexes: [ix('ItemNeighbours.replace (removes lists of other generations)', ['gen', 'asc'])],
  },
  modelVersions: {
    name: 'model_versions',
    holds: 'trained model versions and their metrics',
    indexes: [ix('ModelRegistry.list (newest first)', ['version', 'desc'])],
  },
  modelServing: { name: 'model_serving', holds: 'the serving pointer (one document)', indexes: [] },
  checkpoints: {
    name: 'checkpoints',
    holds: 'training checkpoints (compare-and-set by _id)',
    indexes: [],
  },
  leases: { name: 'leases', holds: 'leases that keep one training run at a time', indexes: [] },
  accounts: {
    name: 'accounts',
    holds: 'per-user settings (personalisation, demographics, risk assessment)',
    indexes: [
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
      // countSharedAudience: equality on any non-empty subset of the three shared attributes,
      // then personalised (a range: not false); three indexes cover the seven subsets.
      ix(
        'PrivacyStore.countSharedAudience (minimum audience: city, with gender, with age band)',
        ['city', 'asc'],
        ['gender', 'asc'],
        ['ageBand', 'asc'],
        ['personalised', 'asc'],
      ),
      ix(
        'PrivacyStore.countSharedAudience (gender, with age band)',
        ['gender', 'asc'],
        ['ageBand', 'asc'],
        ['personalised', 'asc'],
      ),
      ix(
        'PrivacyStore.countSharedAudience (age band, with city)',
        ['ageBand', 'asc'],
        ['city', 'asc'],
        ['personalised', 'asc'],
      ),
    ],
  },
  consents: {
    name: 'consents',
    holds: 'consent records',
    indexes: [
      ix('Privacy.consentHistory and erasure', ['openid', 'asc'], ['at', 'asc']),
      ix('personal-data pages', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  erasures: {
    name: 'erasures',
    holds: 'erasure jobs',
    indexes: [
      ix('Privacy.runningErasures (oldest running first)', ['status', 'asc'], ['startedAt', 'asc']),
      ix(
        'Privacy.purgeErasuresBefore (tombstones past their window)',
        ['status', 'asc'],
        ['finishedAt', 'asc'],
      ),
    ],
  },
  merchantMembers: {
    name: 'merchant_members',
    holds: 'merchant staff memberships',
    indexes: [
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
      ix("Merchants.listMembers (a merchant's members)", ['merchantId', 'asc'], ['_id', 'asc']),
    ],
  },
  merchantInvitations: {
    name: 'merchant_invitations',
    holds: 'merchant invitation codes (hashed)',
    indexes: [
      ix('personal-data pages and erasure (redeemer)', ['redeemedBy', 'asc'], ['_id', 'asc']),
      ix('personal-data pages and erasure (creator)', ['createdBy', 'asc'], ['_id', 'asc']),
      ix(
        "Merchants.listInvitations (a merchant's open codes)",
        ['merchantId', 'asc'],
        ['redeemedBy', 'asc'],
        ['_id', 'asc'],
        ['expiresAt', 'asc'],
      ),
    ],
  },
  campaignAudit: {
    name: 'campaign_audit',
    holds: 'audit trail of campaign changes',
    indexes: [
      ix('Merchants.listAudit (one campaign in order)', ['campaignId', 'asc'], ['ord', 'asc']),
      ix('personal-data pages and erasure', ['actor', 'asc'], ['_id', 'asc']),
    ],
  },
  perfRollups: {
    name: 'perf_rollups',
    holds:
      "train's Mini Program performance cells: page × version × platform × metric, counts and quantile sketches (no user)",
    indexes: [],
  },
  adReportRollups: {
    name: 'ad_report_rollups',
    holds: "train's per-campaign, day and segment report counts (reports read only these)",
    indexes: [
      ix(
        'campaign reports: one campaign, dim and day, paged by _id',
        ['campaignId', 'asc'],
        ['dim', 'asc'],
        ['day', 'asc'],
        ['_id', 'asc'],
      ),
      ix('retention: rows naming a user by day', ['day', 'asc'], ['openid', 'asc']),
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  experimentRollups: {
    name: 'experiment_rollups',
    holds: "train's per-user sums of each experiment variant (results read only these)",
    indexes: [
      ix(
        'experiment results: one experiment, paged by _id',
        ['experimentId', 'asc'],
        ['_id', 'asc'],
      ),
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  experiments: {
    name: 'experiments',
    holds: 'merchant experiments',
    indexes: [
      ix(
        'Experiments.list({ merchantId }) newest first',
        ['merchantId', 'asc'],
        ['createdAt', 'desc'],
        ['id', 'desc'],
      ),
      ix(
        'Experiments.list({ merchantId, status }) newest first',
        ['merchantId', 'asc'],
        ['status', 'asc'],
        ['createdAt', 'desc'],
        ['id', 'desc'],
      ),
      ix('Experiments.list({}) newest first', ['createdAt', 'desc'], ['id', 'desc']),
      ix(
        'Experiments.list({ status }) newest first',
        ['status', 'asc'],
        ['createdAt', 'desc'],
        ['id', 'desc'],
      ),
    ],
  },
  comments: {
    name: 'comments',
    holds: 'user comments on items',
    indexes: [
      ix(
        'Comments.listForItem (top-level, newest first)',
        ['itemId', 'asc'],
        ['parentId', 'asc'],
        ['createdAt', 'desc'],
        ['id', 'desc'],
      ),
      ix(
        'Comments.listReplies (a thread, oldest first)',
        ['parentId', 'asc'],
        ['createdAt', 'asc'],
        ['id', 'asc'],
      ),
      ix('Comments.countVisible', ['itemId', 'asc'], ['moderation', 'asc']),
      ix(
        'Comments.listFlagged (the moderation queue)',
        ['flagged', 'asc'],
        ['flaggedAt', 'desc'],
        ['id', 'desc'],
      ),
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  commentReports: {
    name: 'comment_reports',
    holds: 'reports of comments (举报), one per (comment, reporter)',
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  itemBodies: {
    name: 'item_bodies',
    holds: "content items' bodies (Markdown), one per item",
    indexes: [],
  },
  likes: {
    name: 'likes',
    holds: 'likes, one per (openid, item)',
    indexes: [
      ix(
        "Likes.list (a user's likes, newest first)",
        ['openid', 'asc'],
        ['liked', 'asc'],
        ['at', 'desc'],
        ['itemId', 'desc'],
      ),
      ix('Likes.countLiked', ['itemId', 'asc'], ['liked', 'asc']),
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  trips: {
    name: 'trips',
    holds: "each user's 行程 (saved travel items), one per (openid, item)",
    indexes: [
      ix(
        "Trips.list (a user's trip, in the order added)",
        ['openid', 'asc'],
        ['at', 'asc'],
        ['itemId', 'asc'],
      ),
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  subscriptionQuotas: {
    name: 'subscriptionQuotas',
    holds: 'accepted one-time subscription-message sends, one per (openid, template)',
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  subscriptionSends: {
    name: 'subscriptionSends',
    holds: 'subscription-message sends that took a quota, one per (openid, send key)',
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  searchQueries: {
    name: 'search_queries',
    holds:
      '热门搜索: who searched what, one per (scene, CST day, query, keyed digest of the openid; never the openid)',
    indexes: [
      ix(
        'SearchQueries.top (the aggregation: a scene over the last days)',
        ['scene', 'asc'],
        ['day', 'asc'],
      ),
      ix('SearchQueries.purgeBefore (days past the window)', ['day', 'asc']),
      ix('personal-data pages and erasure', ['userKey', 'asc'], ['_id', 'asc']),
    ],
  },
  hotQueries: {
    name: 'hot_queries',
    holds: "each scene's rolled-up 热门搜索 list (k-anonymous queries only), one per scene",
    indexes: [],
  },
  faqEntries: {
    name: 'faq_entries',
    holds: 'FAQ entries of the customer-service scene, per scope (a merchant or the platform)',
    indexes: [ix("FaqEntries.list (a scope's entries)", ['scope', 'asc'], ['id', 'asc'])],
  },
  faqDictionaries: {
    name: 'faq_dictionaries',
    holds: "each FAQ scope's dictionary words and synonyms (one document per scope, _id from it)",
    indexes: [],
  },
  supportAsks: {
    name: 'support_asks',
    holds: 'questions asked to customer service and their verdicts (no user named)',
    indexes: [
      ix(
        "SupportAsks.recent (a scope's asks, newest first)",
        ['scope', 'asc'],
        ['at', 'desc'],
        ['id', 'desc'],
      ),
    ],
  },
  socialFollows: {
    name: 'social_follows',
    holds: 'in-app follows, one per (follower, followee)',
    indexes: [
      ix('Social.following and the follow rate limit', ['follower', 'asc'], ['followee', 'asc']),
      ix('Social.followers', ['followee', 'asc'], ['follower', 'asc']),
      ix('Social.followsSince (the follow rate limit)', ['follower', 'asc'], ['at', 'asc']),
      ix('personal-data pages and erasure (follower)', ['follower', 'asc'], ['_id', 'asc']),
      ix('personal-data pages and erasure (followee)', ['followee', 'asc'], ['_id', 'asc']),
    ],
  },
  socialGroups: {
    name: 'social_groups',
    holds: 'WeChat group memberships from shares opened in a group, one per (group digest, openid)',
    indexes: [
      ix('Social.allMemberships (train pages through them)', ['group', 'asc'], ['openid', 'asc']),
      ix('personal-data pages and erasure, Social.forget', ['openid', 'asc'], ['_id', 'asc']),
    ],
  },
  socialRecords: {
    name: 'social_records',
    holds: "each user's graph features from the last train round",
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  socialLinks: {
    name: 'social_links',
    holds: "each user's strongest ties and suggested people and groups",
    indexes: [
      ix(
        'Social.links (strongest first)',
        ['openid', 'asc'],
        ['kind', 'asc'],
        ['weight', 'desc'],
        ['other', 'asc'],
      ),
      ix('Social.forget (links of others naming the user)', ['other', 'asc']),
      ix('personal-data pages and erasure (the user)', ['openid', 'asc'], ['_id', 'asc']),
      ix(
        'personal-data pages and erasure (others naming the user)',
        ['other', 'asc'],
        ['_id', 'asc'],
      ),
    ],
  },
  socialHidden: {
    name: 'social_hidden',
    holds: 'users hidden from social proof',
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  orders: {
    name: 'orders',
    holds: 'orders paid through WeChat Pay, _id = out_trade_no (buyer, offer, state, attribution)',
    indexes: [
      ix(
        "Orders.inState (train's maintenance: orders left paying or unpaid)",
        ['state', 'asc'],
        ['updatedAt', 'asc'],
        ['_id', 'asc'],
      ),
      ix(
        'Orders.paidForCampaign (merchant reports from orders)',
        ['campaignId', 'asc'],
        ['paidAt', 'asc'],
        ['_id', 'asc'],
      ),
      ix(
        'Orders.refundedForCampaign (merchant reports: refunds confirmed in the range)',
        ['campaignId', 'asc'],
        ['state', 'asc'],
        ['refundedAt', 'asc'],
        ['_id', 'asc'],
      ),
      ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc']),
      ix(
        "Orders.paidAfter (train's experiment rollups: paid orders in paid order)",
        ['paidAt', 'asc'],
        ['_id', 'asc'],
      ),
      ix(
        "Orders.refundedAfter (train's experiment rollups and oCPC labels: refunds in confirmed order)",
        ['state', 'asc'],
        ['refundedAt', 'asc'],
        ['_id', 'asc'],
      ),
      ix(
        "Orders.ofBuyer (payment risk: the buyer's recent orders)",
        ['openid', 'asc'],
        ['createdAt', 'desc'],
        ['_id', 'desc'],
      ),
      ix(
        "Orders.heldForMerchant (the owner's review of held orders)",
        ['merchantId', 'asc'],
        ['state', 'asc'],
        ['updatedAt', 'asc'],
        ['_id', 'asc'],
      ),
    ],
  },
  orderCarts: {
    name: 'order_carts',
    holds: "each cart's (buyer, offer, quantity) latest order: a repeated create answers it",
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
  offerReserved: {
    name: 'offer_reserved',
    holds: "units of each campaign's offer reserved by open and paid orders",
    indexes: [],
  },
  offerBought: {
    name: 'offer_bought',
    holds: "each buyer's units of an offer (the per-user limit)",
    indexes: [ix('personal-data pages and erasure', ['openid', 'asc'], ['_id', 'asc'])],
  },
} as const satisfies Record<string, CollectionSpec>;

export type CollectionKey = keyof typeof COLLECTIONS;

/** Every declared collection, in declaration order. */
export const ALL_COLLECTIONS: readonly CollectionSpec[] = Object.values(COLLECTIONS);

/** True for a name in the declaration (first-use creation refuses anything else). */
export function isDeclaredCollection(name: string): boolean {
  return ALL_COLLECTIONS.some((c) => c.name === name);
}
