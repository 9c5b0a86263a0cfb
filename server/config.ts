/**
 * All configuration in one typed module: defaults, environment reads, one validation step.
 * Functions and the local host receive a Config; nothing else reads process.env.
 */
import { hkdfSync } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { AppSceneName } from '../typings';
import { SCENE_NAMES } from './scenes';

const schema = z
  .object({
    /** Where the local host keeps its SQLite database and blob files. */
    dataDir: z.string().min(1),
    /** Local host port. */
    port: z.coerce.number().int().min(0).max(65535),
    /** Local host address; anything but loopback needs allowRemote. */
    host: z.string().min(1),
    /** Explicit opt-in to serve on a non-loopback address (identity comes from a header!). */
    allowRemote: z.boolean(),
    /** Seed of the demo-world generator. */
    seed: z.coerce.number().int(),
    /** Seed a demo world into an empty database on start. */
    seedDemo: z.boolean(),
    /** WeChat cloud environment id for the cloud adapter; empty = the function's current env. */
    cloudEnv: z.string(),
    /**
     * BLOB_ENCRYPTION_KEY: 32 random bytes, base64 (`openssl rand -base64 32`), that the cloud
     * functions seal their blobs in cloud storage with (server/adapters/cloud/blob-cipher.ts).
     * Required by the cloud adapter (blobKeyBytes); unused by the local host (its blob files stay in DATA_DIR).
     */
    blobEncryptionKey: z.string().refine((v) => v === '' || decodeKey(v) !== null, {
      message:
        'BLOB_ENCRYPTION_KEY must be 32 bytes in base64 (44 characters; generate one with `openssl rand -base64 32`)',
    }),
    /**
     * IDENTIFIER_KEY: 32 random bytes, base64, keying the HMACs that stand in for users where an
     * identifier must stay linkable without being recomputable by whoever knows an openid
     * (comment pseudonyms, erasure tombstones). Empty: derived from BLOB_ENCRYPTION_KEY (HKDF, so
     * the cloud needs no second secret), or on a local host without one a fixed development key.
     */
    identifierKey: z.string().refine((v) => v === '' || decodeKey(v) !== null, {
      message:
        'IDENTIFIER_KEY must be 32 bytes in base64 (generate one with `openssl rand -base64 32`)',
    }),
    /** Local host: drive simulated users (SIMULATE=1 or `npm start -- --simulate`), on a clock running simSpeed× faster. */
    simulate: z.boolean(),
    simSpeed: z.coerce.number().min(1).max(3600),
    /**
     * Local host: processes serving HTTP (HOST_WORKERS, default 1). With more than one, a primary
     * process seeds, trains and simulates, and that many node cluster workers share the port
     * (each with its own warm caches, all on the same SQLite database in WAL mode).
     */
    hostWorkers: z.coerce.number().int().min(1).max(16),
    /** Local host: seconds between training runs (0: never; the cloud uses the function's timer). */
    trainEverySeconds: z.coerce.number().int().min(0),
    /**
     * Sampling rates the tracker applies per event type, from TRACK_SAMPLING="page_perf=0.1,dwell=0.5";
     * sent back with every track acknowledgement. Thinning impressions or clicks biases the label join.
     */
    trackSampling: z.record(z.string(), z.number().min(0).max(1)),
    /** Local host: log one line per request (off for load benchmarks). */
    logRequests: z.boolean(),
    /** Raw events older than this many days are purged by the maintenance step (PIPL: keep no longer than needed). */
    eventRetentionDays: z.coerce.number().min(1).max(3650),
    /**
     * Per-user derived state (interest profile, like states, ad hide counters) of a user with no
     * stored event for this many days is deleted by the maintenance step (INACTIVE_RETENTION_DAYS,
     * default 90; at most EVENT_RETENTION_DAYS, since activity is read from the stored events).
     */
    inactiveRetentionDays: z.coerce.number().min(1).max(3650),
    /** Days a finished erasure's keyed tombstone is kept to drop late retries from the device (ERASURE_TOMBSTONE_DAYS, default 30). */
    erasureTombstoneDays: z.coerce.number().min(1).max(3650),
    /** Smallest estimated audience (users) a campaign's targeting may have (MIN_AUDIENCE, default 100; k-anonymity of ad viewers). */
    minAudience: z.coerce.number().int().min(1).max(1_000_000),
    /** Largest accepted request body, bytes (local host). */
    maxBodyBytes: z.number().int().positive(),
    /** Feed positions (0-based, across pages) that carry an ad, from AD_SLOTS="3,10,17". */
    adSlots: z.array(z.number().int().min(0).max(10_000)).max(100),
    /** Viewable impressions of one ad per user per CST day before it stops being served to them (AD_FREQUENCY_CAP). */
    adFrequencyCap: z.coerce.number().int().min(1).max(1000),
    /**
     * Longest a warm instance serves ads on campaign spend and statistics it read earlier, ms
     * (AD_STATE_TTL_MS, default 1000; 0 reads them on every ad page). Clicks are still charged
     * against the budget atomically, so this bounds pacing staleness, not overspend.
     */
    adStateTtlMs: z.coerce.number().int().min(0).max(60_000),
    /** openids of platform admins (PLATFORM_ADMINS="oAbc,oDef"): they create merchants and invitation codes. */
    platformAdmins: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be openids')).max(100),
    /** Cost-per-click bids a merchant may set, fen (AD_BID_MIN_FEN, AD_BID_MAX_FEN); the minimum should not be below the auction's reserve. */
    adBidMinFen: z.coerce.number().int().min(1),
    adBidMaxFen: z.coerce.number().int().min(1).max(1_000_000),
    /** Heavy merchant calls (reports, breakdowns, experiment results) per merchant per minute (MERCHANT_HEAVY_PER_MINUTE). */
    merchantHeavyPerMinute: z.coerce.number().int().min(1).max(10_000),
    /** Largest daily or total campaign budget, fen (AD_BUDGET_MAX_FEN). */
    adBudgetMaxFen: z.coerce.number().int().min(1).max(1e12),
    /**
     * Feed exploration, the weights of its explicit mixture: the probability that a page's last
     * card is a uniformly drawn item instead of the ranked one, for a user with known interests
     * (EXPLORE_EPSILON, default 0.1; an experiment may override it) and for a cold-start or
     * non-personalised page (COLD_EXPLORE_EPSILON, default 0.1). Logged propensities are exact.
     */
    exploreEpsilon: z.coerce.number().min(0).max(1),
    coldExploreEpsilon: z.coerce.number().min(0).max(1),
    /**
     * The feed's prefetch policy (PREFETCH_POLICY: off, position or learned; default learned):
     * which detail payloads a page tells the client to fetch ahead of a tap (issue 18). A
     * feed.prefetch experiment overrides it for its users.
     */
    prefetchPolicy: z.enum(['off', 'position', 'learned']),
    /**
     * Share-graph features (degree, activity, influence, clustering, community, shared interest)
     * in the click model, at training and serving alike (SOCIAL_GRAPH_FEATURES=1; default off:
     * measured on the simulator's planted social graph, docs/simulation.md).
     */
    socialGraphFeatures: z.boolean(),
    /**
     * The feed's social candidate source's weight (SOCIAL_SOURCE_WEIGHT, default 0: of 0, 0.1, 0.3
     * and 1 on the simulated social graph's validation seeds, 0 kept the highest CTR; docs/simulation.md).
     */
    socialSourceWeight: z.coerce.number().min(0).max(10),
    /** The function's own cloud environment as the cloud runtime sets it (TCB_ENV; read, never configured). */
    runtimeEnv: z.string().max(64),
    /** The WeChat Pay sub-merchant bound to the cloud environment (PAY_SUB_MCH_ID; cloud payments). */
    paySubMchId: z.string().max(32),
    /**
     * Subscription-message template ids (SUBSCRIBE_TEMPLATE_REPLY, _BUDGET, _ENDING; 订阅消息),
     * one per topic, chosen in the Mini Program console with the fields of
     * server/content/subscribe-messages.ts. Empty: that notification is off, and says so.
     */
    subscribeTemplates: z.object({
      reply: z.string().regex(/^[A-Za-z0-9_-]{0,64}$/, 'a template id of letters, digits, - and _'),
      budget: z
        .string()
        .regex(/^[A-Za-z0-9_-]{0,64}$/, 'a template id of letters, digits, - and _'),
      ending: z
        .string()
        .regex(/^[A-Za-z0-9_-]{0,64}$/, 'a template id of letters, digits, - and _'),
    }),
    /** Minutes an unpaid order may still be paid (ORDER_WINDOW_MINUTES, default 15); then closed and its stock released. */
    orderWindowMinutes: z.coerce.number().int().min(5).max(120),
    /**
     * The application scene (SCENE=general|finance|travel|support, default general): the demo
     * world seeded, the content and candidate sources served, the entry points shown (server/scenes.ts).
     */
    scene: z.enum(SCENE_NAMES as [AppSceneName, ...AppSceneName[]], {
      error: `SCENE must be one of ${SCENE_NAMES.join(', ')}`,
    }),
    /**
     * https hosts an item body's pictures may come from (BODY_IMAGE_HOSTS="a.cdn.com,b.cdn.com",
     * default picsum.photos, the demo world's picture host); cloud:// files always may. Pictures
     * from anywhere else are left out of the detail page.
     */
    bodyImageHosts: z.array(z.string().regex(/^[a-z0-9.-]{1,253}$/, 'must be host names')).max(50),
    /** Local host test mode (HOST_TEST_MODE=1): the only way besides a test to turn failpoints on. */
    hostTestMode: z.boolean(),
    /** Failpoints the local host sets in test mode (FAILPOINTS="name=trigger:action;…", server/adapters/failpoints.ts). */
    failpoints: z.string(),
  })
  .refine((c) => c.failpoints === '' || c.hostTestMode, {
    message: 'FAILPOINTS is only honoured in test mode (HOST_TEST_MODE=1)',
    path: ['failpoints'],
  })
  .refine((c) => c.inactiveRetentionDays <= c.eventRetentionDays, {
    message:
      'INACTIVE_RETENTION_DAYS must not exceed EVENT_RETENTION_DAYS (activity is read from the stored events)',
    path: ['inactiveRetentionDays'],
  })
  .refine((c) => c.adBidMinFen <= c.adBidMaxFen, {
    message: 'adBidMinFen must not exceed adBidMaxFen',
    path: ['adBidMinFen'],
  });

export type Config = z.infer<typeof schema>;

/**
 * The longest a cloud function may run, seconds: the console's maximum timeout. Every function's
 * own timeout (its definition's `cloud.timeoutSeconds`, written into config.json) is at most
 * this, and what waits for a stopped call to have stopped for good (the pending-event sweep)
 * waits a multiple of it.
 */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 60;

/** 32 bytes from standard or url-safe base64 (padding optional), or null. */
function decodeKey(v: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(v)) return null;
  const b = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return b.length === 32 ? b : null;
}

const flag = (v: string | undefined, dflt: boolean): boolean =>
  v === undefined || v === '' ? dflt : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

export class ConfigError extends Error {}

/** "type=rate,type=rate" → { type: rate }; malformed pairs become NaN so validation names them. */
function parseRates(raw: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [type, rate] = pair.split('=');
    out[type.trim()] = rate === undefined || rate.trim() === '' ? Number.NaN : Number(rate);
  }
  return out;
}

/** Reads the configuration from an environment (process.env by default) and validates it. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Config> = {},
): Config {
  const raw = {
    // Simulated users stamp events on a faster clock: kept in a store of their own, so a plain
    // start never meets their future timestamps (its trainer would wait for them to pass).
    dataDir: path.resolve(env.DATA_DIR || (flag(env.SIMULATE, false) ? '.data/simulate' : '.data')),
    port: env.PORT ?? 3000,
    host: env.HOST || '127.0.0.1',
    allowRemote: flag(env.ALLOW_REMOTE, false),
    seed: env.SEED ?? 20261128,
    seedDemo: flag(env.SEED_DEMO, true),
    cloudEnv: env.CLOUD_ENV ?? '',
    blobEncryptionKey: (env.BLOB_ENCRYPTION_KEY ?? '').trim(),
    identifierKey: (env.IDENTIFIER_KEY ?? '').trim(),
    logRequests: flag(env.LOG_REQUESTS, true),
    trackSampling: parseRates(env.TRACK_SAMPLING ?? ''),
    simulate: flag(env.SIMULATE, false),
    simSpeed: env.SIM_SPEED ?? 60,
    hostWorkers: env.HOST_WORKERS || 1,
    trainEverySeconds: env.TRAIN_EVERY ?? (flag(env.SIMULATE, false) ? 10 : 300),
    eventRetentionDays: env.EVENT_RETENTION_DAYS || 180,
    inactiveRetentionDays:
      env.INACTIVE_RETENTION_DAYS || Math.min(90, Number(env.EVENT_RETENTION_DAYS || 180)),
    erasureTombstoneDays: env.ERASURE_TOMBSTONE_DAYS || 30,
    minAudience: env.MIN_AUDIENCE || 100,
    maxBodyBytes: 256 * 1024,
    adSlots: (env.AD_SLOTS ?? '3,10,17')
      .split(',')
      .filter((x) => x.trim() !== '')
      .map(Number),
    adFrequencyCap: env.AD_FREQUENCY_CAP || 3,
    adStateTtlMs: env.AD_STATE_TTL_MS ?? 1000,
    platformAdmins: (env.PLATFORM_ADMINS ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
    adBidMinFen: env.AD_BID_MIN_FEN || 5,
    adBidMaxFen: env.AD_BID_MAX_FEN || 10_000,
    adBudgetMaxFen: env.AD_BUDGET_MAX_FEN || 100_000_000,
    exploreEpsilon: env.EXPLORE_EPSILON || 0.1,
    prefetchPolicy: env.PREFETCH_POLICY || 'learned',
    socialGraphFeatures: flag(env.SOCIAL_GRAPH_FEATURES, false),
    socialSourceWeight: env.SOCIAL_SOURCE_WEIGHT ?? 0,
    coldExploreEpsilon: env.COLD_EXPLORE_EPSILON || 0.1,
    paySubMchId: (env.PAY_SUB_MCH_ID ?? '').trim(),
    runtimeEnv: env.TCB_ENV ?? '',
    orderWindowMinutes: env.ORDER_WINDOW_MINUTES || 15,
    bodyImageHosts: (env.BODY_IMAGE_HOSTS ?? 'picsum.photos')
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
    subscribeTemplates: {
      reply: (env.SUBSCRIBE_TEMPLATE_REPLY ?? '').trim(),
      budget: (env.SUBSCRIBE_TEMPLATE_BUDGET ?? '').trim(),
      ending: (env.SUBSCRIBE_TEMPLATE_ENDING ?? '').trim(),
    },
    hostTestMode: flag(env.HOST_TEST_MODE, false),
    failpoints: (env.FAILPOINTS ?? '').trim(),
    merchantHeavyPerMinute: env.MERCHANT_HEAVY_PER_MINUTE || 30,
    scene: (env.SCENE ?? '').trim() || 'general',
    ...overrides,
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${what}`);
  }
  return parsed.data;
}

/**
 * The blob encryption key's bytes. The cloud adapter refuses to open without one: its blobs share
 * the storage bucket that every client may read (ad images), so plaintext there would publish them.
 */
export function blobKeyBytes(config: Pick<Config, 'blobEncryptionKey'>): Buffer {
  const key = config.blobEncryptionKey === '' ? null : decodeKey(config.blobEncryptionKey);
  if (!key) {
    throw new ConfigError(
      'BLOB_ENCRYPTION_KEY is not set (or not 32 bytes in base64): cloud functions keep model weights and trainer state ' +
        'sealed in cloud storage and will not store them in plaintext. Generate a key with `openssl rand -base64 32` and set ' +
        'the same value on every cloud function (云函数 → 版本与配置 → 环境变量); see docs/cloud-deploy.md.',
    );
  }
  return key;
}

/** Only for a local host with neither key: its data never leaves the machine. */
const LOCAL_DEVELOPMENT_SECRET = 'wechat-recsys local development identifier key';

/**
 * The key of identifier HMACs (see identifierKey): the configured one, else derived from the
 * blob key (HKDF-SHA256, its own label, so neither key reveals the other), else the local
 * development key.
 */
export function identifierKeyBytes(
  config: Pick<Config, 'identifierKey' | 'blobEncryptionKey'>,
): Buffer {
  const own = config.identifierKey === '' ? null : decodeKey(config.identifierKey);
  if (own) return own;
  const blob = config.blobEncryptionKey === '' ? null : decodeKey(config.blobEncryptionKey);
  const ikm = blob ?? Buffer.from(LOCAL_DEVELOPMENT_SECRET);
  return Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'recsys identifiers v1', 32));
}
