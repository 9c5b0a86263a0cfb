/**
 * Schema migrations, versioned in code: entry i brings user_version i to i + 1.
 * Never edit a released entry; append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: event log, counters, catalog
  `
  CREATE TABLE events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    openid       TEXT    NOT NULL,
    event_id     TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    server_time  INTEGER NOT NULL,
    client_time  INTEGER NOT NULL,
    clock_skewed INTEGER NOT NULL,
    session_id   TEXT    NOT NULL,
    page         TEXT    NOT NULL,
    item_id      TEXT,
    ad_id        TEXT,
    slate_id     TEXT,
    position     INTEGER,
    variant      TEXT,
    props        TEXT    NOT NULL,
    UNIQUE (openid, event_id)
  );

  CREATE TABLE counters (
    scope  TEXT NOT NULL,
    id     TEXT NOT NULL,
    bucket TEXT NOT NULL,
    field  TEXT NOT NULL,
    value  REAL NOT NULL,
    PRIMARY KEY (scope, bucket, id, field)
  ) WITHOUT ROWID;

  CREATE TABLE items (
    id           TEXT PRIMARY KEY,
    title        TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    tags         TEXT    NOT NULL,
    cover        TEXT    NOT NULL,
    author_id    TEXT    NOT NULL,
    published_at INTEGER NOT NULL,
    status       TEXT    NOT NULL
  );
  CREATE INDEX items_newest ON items (status, published_at DESC, id DESC);
  CREATE INDEX items_by_category ON items (category, status, published_at DESC, id DESC);
  `,
  // 2: merchants and campaigns (documents in JSON, with the columns queries need)
  `
  CREATE TABLE merchants (
    id  TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  );
  CREATE TABLE campaigns (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    doc         TEXT    NOT NULL
  );
  CREATE INDEX campaigns_by_merchant ON campaigns (merchant_id, created_at DESC, id DESC);
  CREATE INDEX campaigns_by_status ON campaigns (status, id);
  `,
  // 3: learning: slate log, user profiles, item neighbours, model registry, checkpoints, leases
  `
  CREATE TABLE slates (
    slate_id  TEXT PRIMARY KEY,
    openid    TEXT    NOT NULL,
    served_at INTEGER NOT NULL,
    doc       TEXT    NOT NULL
  );
  CREATE INDEX slates_by_user ON slates (openid, served_at);
  CREATE TABLE user_profiles (
    openid TEXT PRIMARY KEY,
    doc    TEXT NOT NULL
  );
  CREATE TABLE item_neighbours (
    item_id TEXT PRIMARY KEY,
    doc     TEXT NOT NULL
  );
  CREATE TABLE model_versions (
    version    TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL,
    doc        TEXT    NOT NULL
  );
  CREATE TABLE model_serving (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,
    doc     TEXT NOT NULL
  );
  CREATE TABLE checkpoints (
    name TEXT PRIMARY KEY,
    rev  INTEGER NOT NULL,
    doc  TEXT    NOT NULL
  );
  CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT    NOT NULL,
    token      INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // 4: privacy: account settings, consent history, erasure jobs (also the tombstones)
  `
  CREATE TABLE accounts (
    openid TEXT PRIMARY KEY,
    doc    TEXT NOT NULL
  );
  CREATE TABLE consents (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    openid TEXT    NOT NULL,
    at     INTEGER NOT NULL,
    doc    TEXT    NOT NULL
  );
  CREATE INDEX consents_by_user ON consents (openid, seq);
  CREATE TABLE erasures (
    subject TEXT PRIMARY KEY,
    status  TEXT    NOT NULL,
    rev     INTEGER NOT NULL,
    doc     TEXT    NOT NULL
  );
  CREATE INDEX erasures_running ON erasures (status, subject);
  `,
  // 5: merchant members, invitation codes (by hash), campaign audit log; events by ad for reports
  `
  CREATE TABLE merchant_members (
    openid      TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    doc         TEXT NOT NULL
  );
  CREATE TABLE merchant_invitations (
    code_hash   TEXT PRIMARY KEY,
    expires_at  INTEGER NOT NULL,
    redeemed_by TEXT,
    redeemed_at INTEGER,
    doc         TEXT NOT NULL
  );
  CREATE TABLE campaign_audit (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id TEXT    NOT NULL,
    doc         TEXT    NOT NULL
  );
  CREATE INDEX campaign_audit_by_campaign ON campaign_audit (campaign_id, seq);
  CREATE INDEX events_by_ad ON events (ad_id, server_time) WHERE ad_id IS NOT NULL;
  `,
  // 6: erasure finds a user's audit entries and invitations (redeemed or created) without scanning the tables
  `
  CREATE INDEX campaign_audit_by_actor ON campaign_audit (json_extract(doc, '$.actor'));
  CREATE INDEX merchant_invitations_by_redeemer ON merchant_invitations (redeemed_by) WHERE redeemed_by IS NOT NULL;
  CREATE INDEX merchant_invitations_by_creator ON merchant_invitations (json_extract(doc, '$.createdBy'));
  `,
  // 7: experiment definitions (issue 6), whole documents; owner and status indexed for listing
  `
  CREATE TABLE experiments (
    id          TEXT    PRIMARY KEY,
    merchant_id TEXT,
    status      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    doc         TEXT    NOT NULL
  );
  CREATE INDEX experiments_by_owner ON experiments (merchant_id, created_at);
  `,
  // 8: comments on items (newest first per item, a user's own for export and erasure), and each
  // user's latest like state per item (the liked history), filled from the like/unlike events so far
  `
  CREATE TABLE comments (
    id         TEXT    PRIMARY KEY,
    item_id    TEXT    NOT NULL,
    openid     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    text       TEXT    NOT NULL
  );
  CREATE INDEX comments_by_item ON comments (item_id, created_at DESC, id DESC);
  CREATE INDEX comments_by_user ON comments (openid, created_at);
  CREATE TABLE likes (
    openid  TEXT    NOT NULL,
    item_id TEXT    NOT NULL,
    liked   INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (openid, item_id)
  ) WITHOUT ROWID;
  CREATE INDEX likes_by_user ON likes (openid, liked, at DESC, item_id DESC);
  INSERT INTO likes (openid, item_id, liked, at)
    SELECT openid, item_id, type = 'like', client_time FROM (
      SELECT openid, item_id, type, client_time,
        ROW_NUMBER() OVER (PARTITION BY openid, item_id ORDER BY client_time DESC, seq DESC) AS n
      FROM events WHERE type IN ('like', 'unlike') AND item_id IS NOT NULL
    ) WHERE n = 1;
  `,
  // 9: a merchant's members and open invitations, listed by its owners (removal, revocation)
  `
  CREATE INDEX merchant_members_by_merchant ON merchant_members (merchant_id, openid);
  CREATE INDEX merchant_invitations_by_merchant ON merchant_invitations (json_extract(doc, '$.merchantId'), code_hash) WHERE redeemed_by IS NULL;
  `,
  // 10: retention purges slates by age (with their charge counters); train's experiment rollups
  `
  CREATE INDEX slates_by_time ON slates (served_at);
  CREATE TABLE experiment_rollups (
    experiment_id TEXT    NOT NULL,
    variant       TEXT    NOT NULL,
    openid        TEXT    NOT NULL,
    impressions   INTEGER NOT NULL,
    clicks        INTEGER NOT NULL,
    likes         INTEGER NOT NULL,
    paid_fen      INTEGER NOT NULL,
    rev           INTEGER NOT NULL,
    PRIMARY KEY (experiment_id, variant, openid)
  ) WITHOUT ROWID;
  CREATE INDEX experiment_rollups_by_user ON experiment_rollups (openid);
  `,
  // 11: the customer-service scene (issue 19): FAQ entries per scope (whole documents, revision for
  // compare-and-set), the questions asked with their verdict (no user is named), and the local
  // host's outbox of customer-service messages (what the cloud sends through WeChat)
  `
  CREATE TABLE faq_entries (
    id         TEXT    PRIMARY KEY,
    scope      TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    doc        TEXT    NOT NULL
  );
  CREATE INDEX faq_entries_by_scope ON faq_entries (scope, id);
  CREATE TABLE support_asks (
    id         TEXT    PRIMARY KEY,
    scope      TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    verdict    TEXT,
    doc        TEXT    NOT NULL
  );
  CREATE INDEX support_asks_by_scope ON support_asks (scope, at DESC, id DESC);
  CREATE TABLE cs_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    openid     TEXT    NOT NULL,
    doc        TEXT    NOT NULL
  );
  CREATE INDEX cs_outbox_by_user ON cs_outbox (openid, seq);
  `,
  // 12: the social graph (issue 16): follows, each user's record and links from train, the
  // switch hiding a user from social proof
  `
  CREATE TABLE social_follows (
    follower TEXT    NOT NULL,
    followee TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (follower, followee)
  ) WITHOUT ROWID;
  CREATE INDEX social_follows_by_followee ON social_follows (followee, follower);
  CREATE INDEX social_follows_by_time ON social_follows (follower, at);
  CREATE TABLE social_records (
    openid     TEXT    PRIMARY KEY,
    updated_at INTEGER NOT NULL,
    features   TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE social_links (
    openid TEXT NOT NULL,
    kind   TEXT NOT NULL,
    other  TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (openid, kind, other)
  ) WITHOUT ROWID;
  CREATE INDEX social_links_by_weight ON social_links (openid, kind, weight DESC, other);
  CREATE INDEX social_links_by_other ON social_links (other);
  CREATE TABLE social_hidden (
    openid TEXT PRIMARY KEY
  ) WITHOUT ROWID;
  `,
  // 13: a financial product's risk level R1–R5 (suitability, issue 19); NULL for other content
  `
  ALTER TABLE items ADD COLUMN risk_level INTEGER;
  `,
  // 14: a travel item's place (旅游出行): {city, lat, lng} as JSON; NULL for other content
  `
  ALTER TABLE items ADD COLUMN place TEXT;
  `,
  // 15: retention of inactive users' derived state (a user's latest event) and of erasure tombstones (by finish time)
  `
  CREATE INDEX events_by_user_time ON events (openid, server_time);
  CREATE INDEX erasures_done ON erasures (json_extract(doc, '$.finishedAt')) WHERE status = 'done';
  `,
  // 16: each user's 行程 (旅游出行): the travel items they saved, in the order added
  `
  CREATE TABLE trips (
    openid  TEXT    NOT NULL,
    item_id TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (openid, item_id)
  ) WITHOUT ROWID;
  CREATE INDEX trips_by_time ON trips (openid, at, item_id);
  `,
  // 17: Mini Program performance rollups (issue 18): one cell per page × version × platform ×
  // metric, a count and sum, and a quantile sketch for distributions; no user in them
  `
  CREATE TABLE perf_rollups (
    metric   TEXT    NOT NULL,
    page     TEXT    NOT NULL,
    version  TEXT    NOT NULL,
    platform TEXT    NOT NULL,
    count    INTEGER NOT NULL,
    sum      REAL    NOT NULL,
    sketch   TEXT,
    rev      INTEGER NOT NULL,
    PRIMARY KEY (metric, page, version, platform)
  ) WITHOUT ROWID;
  `,
  // 18: orders paid through WeChat Pay (issue 17): one row per order (the document whole, with
  // the columns its queries need), each offer's reserved units, each buyer's units per offer, and
  // the local host's payment stand-in (what WeChat Pay holds in the cloud)
  `
  CREATE TABLE orders (
    out_trade_no TEXT    PRIMARY KEY,
    openid       TEXT    NOT NULL,
    campaign_id  TEXT    NOT NULL,
    cart_key     TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    paid_at      INTEGER,
    doc          TEXT    NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX orders_by_cart ON orders (cart_key, state);
  CREATE INDEX orders_by_state ON orders (state, updated_at);
  CREATE INDEX orders_by_campaign_paid ON orders (campaign_id, paid_at);
  CREATE INDEX orders_by_user ON orders (openid);
  CREATE TABLE offer_reserved (
    campaign_id TEXT    PRIMARY KEY,
    units       INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE offer_bought (
    campaign_id TEXT    NOT NULL,
    openid      TEXT    NOT NULL,
    units       INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, openid)
  ) WITHOUT ROWID;
  CREATE TABLE local_pay (
    out_trade_no TEXT PRIMARY KEY,
    doc          TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 19: train's campaign report rollups (issue 14): per campaign, day, segment and user (the day's
  // totals with an empty user), so reports and breakdowns never read raw events
  `
  CREATE TABLE ad_report_rollups (
    campaign_id TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    dim         TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    openid      TEXT    NOT NULL,
    impressions INTEGER NOT NULL,
    clicks      INTEGER NOT NULL,
    events      INTEGER NOT NULL,
    paid_fen    INTEGER NOT NULL,
    rev         INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, dim, day, key, openid)
  ) WITHOUT ROWID;
  CREATE INDEX ad_report_rollups_by_user ON ad_report_rollups (openid);
  CREATE INDEX ad_report_rollups_by_day ON ad_report_rollups (day) WHERE openid <> '';
  `,
  // 20: WeChat groups (issue 16): who opened a share in which group (the openGId's keyed digest)
  `
  CREATE TABLE social_groups (
    grp      TEXT    NOT NULL,
    openid   TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    share_id TEXT,
    PRIMARY KEY (grp, openid)
  ) WITHOUT ROWID;
  CREATE INDEX social_groups_by_user ON social_groups (openid);
  `,
  // 21: each FAQ scope's dictionary words and synonyms (智能客服, issue 19), one document per
  // scope, the revision a column so a save is compare-and-set in one statement
  `
  CREATE TABLE faq_dictionaries (
    scope    TEXT    PRIMARY KEY,
    revision INTEGER NOT NULL,
    doc      TEXT    NOT NULL
  ) WITHOUT ROWID;
  `,
  // 22: paid orders in paid order (issue 17): train's experiment rollups count pay-verified orders
  `
  CREATE INDEX orders_by_paid ON orders (paid_at, out_trade_no) WHERE paid_at IS NOT NULL;
  `,
  // 23: issue 20: item bodies (the detail page's text, kept apart from the items the feed
  // loads), comment replies (one level: the thread's top-level comment) and moderation (WeChat's
  // review verdict, a moderator's decision, the queue of flagged comments, reports one per user),
  // and the like count per item
  `
  CREATE TABLE item_bodies (
    item_id TEXT PRIMARY KEY,
    body    TEXT NOT NULL
  ) WITHOUT ROWID;
  ALTER TABLE comments ADD COLUMN parent_id TEXT;
  ALTER TABLE comments ADD COLUMN reply_to TEXT;
  ALTER TABLE comments ADD COLUMN moderation TEXT;
  ALTER TABLE comments ADD COLUMN flagged_at INTEGER;
  ALTER TABLE comments ADD COLUMN reports INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE comments ADD COLUMN reasons TEXT;
  DROP INDEX comments_by_item;
  CREATE INDEX comments_by_item ON comments (item_id, created_at DESC, id DESC) WHERE parent_id IS NULL;
  CREATE INDEX comments_by_parent ON comments (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
  CREATE INDEX comments_visible ON comments (item_id) WHERE moderation IS NULL;
  CREATE INDEX comments_flagged ON comments (flagged_at DESC, id DESC) WHERE flagged_at IS NOT NULL;
  CREATE TABLE comment_reports (
    comment_id TEXT    NOT NULL,
    openid     TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (comment_id, openid)
  ) WITHOUT ROWID;
  CREATE INDEX comment_reports_by_user ON comment_reports (openid);
  CREATE INDEX likes_by_item ON likes (item_id, liked);
  `,
  // 24: subscription messages (issue 20): accepted one-time sends per user and template, the
  // sends that took one (a retried send takes it once), and the local stand-in's outbox
  `
  CREATE TABLE subscription_quotas (
    openid      TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    quota       INTEGER NOT NULL,
    PRIMARY KEY (openid, template_id)
  ) WITHOUT ROWID;
  CREATE TABLE subscription_sends (
    openid      TEXT    NOT NULL,
    key         TEXT    NOT NULL,
    template_id TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    outcome     TEXT,
    PRIMARY KEY (openid, key)
  ) WITHOUT ROWID;
  CREATE TABLE subscribe_outbox (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    openid TEXT    NOT NULL,
    doc    TEXT    NOT NULL
  );
  CREATE INDEX subscribe_outbox_by_user ON subscribe_outbox (openid, seq);
  `,
  // 25: hot queries (issue 20): per (scene, CST day, query) the keyed digests of the users who
  // searched it (distinct users for k-anonymity; never the openid), and each scene's rolled-up list
  `
  CREATE TABLE search_queries (
    scene    TEXT NOT NULL,
    day      TEXT NOT NULL,
    query    TEXT NOT NULL,
    user_key TEXT NOT NULL,
    PRIMARY KEY (scene, day, query, user_key)
  ) WITHOUT ROWID;
  CREATE INDEX search_queries_by_user ON search_queries (user_key);
  CREATE INDEX search_queries_by_day ON search_queries (day);
  CREATE TABLE hot_queries (
    scene TEXT    PRIMARY KEY,
    doc   TEXT    NOT NULL,
    at    INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 26: the predicted purchase propensity of an experiment unit's user at first exposure (issue 17)
  `
  ALTER TABLE experiment_rollups ADD COLUMN propensity REAL;
  `,
  // 27: refunds (the refund branch): confirmed refunds in confirmed order (train's experiment
  // rollups and oCPC labels read them after a cursor), and each experiment unit's refunds
  `
  CREATE INDEX orders_by_refunded ON orders (json_extract(doc, '$.refundedAt'), out_trade_no)
    WHERE json_extract(doc, '$.refundedAt') IS NOT NULL;
  ALTER TABLE experiment_rollups ADD COLUMN refunds INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE experiment_rollups ADD COLUMN refunded_fen INTEGER NOT NULL DEFAULT 0;
  `,
  // 28: a campaign's refunds confirmed in a report's range, whenever their orders were paid
  // (Orders.refundedForCampaign: the refunds column counts every refund confirmed in the range)
  `
  CREATE INDEX orders_by_campaign_refunded
    ON orders (campaign_id, json_extract(doc, '$.refundedAt'), out_trade_no)
    WHERE json_extract(doc, '$.refundedAt') IS NOT NULL;
  `,
];
