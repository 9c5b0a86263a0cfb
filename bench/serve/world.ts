/**
 * The serving bench's world, generated from a seed: a 10,000-item catalog, merchants with 200
 * active campaigns, personalised users (profiles with interests, recent engagement, seen and
 * hidden items), cold-start users (no profile), co-engagement neighbour lists, three days of item
 * and ad counters, and a click model trained on simulated clicks and promoted to serve — so a
 * recommendation runs every real path: candidate sources, model scoring, the ad auction.
 */
import type { Campaign, ContentItem, Merchant } from '../../typings';
import { ALL, SPEND, STATS } from '../../server/engine/ads/counter-keys';
import { CtrFeatureTransformer } from '../../server/engine/features/transformer';
import { FeatureVector } from '../../server/engine/features/vector';
import { createCtrModel, DEFAULT_CTR_CONFIG } from '../../server/engine/models/defaults';
import { mulberry32 } from '../../server/engine/models/rng';
import type { NeighbourList } from '../../server/engine/profiles/neighbours';
import type { UserProfile } from '../../server/engine/profiles/profile';
import { cardInput, userFeatures } from '../../server/engine/training/features';
import { kindOf } from '../../server/engine/training/model';
import { dayBucket } from '../../server/engine/time';
import type { CounterDelta, Stores } from '../../server/ports';

const DAY = 86_400_000;

export interface ServeWorldSize {
  items: number;
  campaigns: number;
  /** Users with a profile (interests, recent engagement). */
  users: number;
  /** Users with no profile at all. */
  coldUsers: number;
}

export const BENCH_SIZE: ServeWorldSize = {
  items: 10_000,
  campaigns: 200,
  users: 2_000,
  coldUsers: 500,
};

export interface ServeWorld {
  items: ContentItem[];
  merchants: Merchant[];
  campaigns: Campaign[];
  profiles: UserProfile[];
  coldUsers: string[];
  neighbours: NeighbourList[];
}

const CATEGORIES = Array.from({ length: 16 }, (_, c) => `cat${c}`);
const tagsOf = (cat: string): string[] => Array.from({ length: 12 }, (_, t) => `${cat}-t${t}`);
const pad = (n: number, w = 5): string => String(n).padStart(w, '0');

export function generateServeWorld(
  seed: number,
  now: number,
  size: ServeWorldSize = BENCH_SIZE,
): ServeWorld {
  const rand = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const sample = <T>(xs: readonly T[], k: number): T[] => {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < k && pool.length) out.push(pool.splice(int(0, pool.length - 1), 1)[0]);
    return out;
  };

  const items: ContentItem[] = Array.from({ length: size.items }, (_, i) => {
    const category = pick(CATEGORIES);
    const tags = sample(tagsOf(category), int(2, 5));
    const id = `bench-item-${pad(i)}`;
    return {
      id,
      title: `${category} 第${i}篇：${tags.join(' ')}`,
      summary: `关于 ${tags[0]} 的文章`,
      category,
      tags,
      cover: `https://picsum.photos/seed/${id}/640/360`,
      authorId: `author-${int(1, 300)}`,
      publishedAt: Math.floor((now - int(0, 60 * DAY)) / 1000) * 1000,
      status: rand() < 0.02 ? 'unpublished' : 'published',
    };
  });
  const published = items.filter((it) => it.status === 'published');
  const byCategory = new Map(
    CATEGORIES.map((c) => [c, published.filter((it) => it.category === c)]),
  );

  const merchants: Merchant[] = Array.from({ length: 40 }, (_, m) => ({
    id: `bench-merchant-${pad(m, 2)}`,
    name: `商家${m}`,
    createdAt: now - 90 * DAY,
  }));
  const campaigns: Campaign[] = Array.from({ length: size.campaigns }, (_, k) => {
    const merchant = merchants[k % merchants.length];
    const category = CATEGORIES[k % CATEGORIES.length];
    const id = `bench-campaign-${pad(k, 3)}`;
    const daily = int(20, 200) * 100;
    return {
      id,
      merchantId: merchant.id,
      name: `推广 ${k}`,
      status: 'active',
      creative: {
        title: `广告 ${k}`,
        description: `${category} 优惠`,
        image: '',
        landing: { kind: 'page', path: 'pages/feed/index' },
      },
      targeting: {
        // A quarter broad, the rest on their category and a couple of its tags.
        interestTags: k % 4 === 0 ? [] : [category, ...sample(tagsOf(category), 2)],
        genders: [],
        ageBands: [],
        cities: k % 10 === 0 ? ['上海'] : [],
        scenes: [],
      },
      bidFen: int(20, 300),
      dailyBudgetFen: daily,
      totalBudgetFen: daily * 30,
      startAt: now - 10 * DAY,
      endAt: now + 30 * DAY,
      hours: [],
      createdAt: now - 10 * DAY,
      updatedAt: now - 10 * DAY,
    };
  });

  // Each user likes two or three categories; their recent engagement, seen and hidden items come from them.
  const profiles: UserProfile[] = Array.from({ length: size.users }, (_, u) => {
    const openid = `bench-user-${pad(u)}`;
    const likes = sample(CATEGORIES, int(2, 3));
    const interests: Record<string, number> = {};
    for (const c of likes) {
      interests[`cat:${c}`] = 1 + rand() * 9;
      for (const t of sample(tagsOf(c), 4)) interests[`tag:${t}`] = rand() * 3;
    }
    const fromLikes = (): ContentItem => pick(byCategory.get(pick(likes))!);
    const recent = Array.from({ length: int(0, 20) }, (_, r) => ({
      itemId: fromLikes().id,
      at: now - (r + 1) * int(60_000, 6 * 3_600_000),
    }));
    return {
      openid,
      updatedAt: now - 60_000,
      interests,
      counts: { impression: int(10, 500), click: int(1, 60), like: int(0, 10), share: int(0, 3) },
      recent: [...new Map(recent.map((r) => [r.itemId, r])).values()],
      hidden: Array.from({ length: int(0, 10) }, () => pick(published).id),
      seen: Array.from({ length: int(0, 100) }, (_, s) => ({
        itemId: fromLikes().id,
        at: now - s * 600_000,
      })),
      lastActiveAt: now - 60_000,
    };
  });
  const coldUsers = Array.from({ length: size.coldUsers }, (_, u) => `bench-cold-${pad(u)}`);

  // Co-engagement lists (50 neighbours kept, as the trainer keeps) for every item users engaged with.
  const engaged = new Set(profiles.flatMap((p) => p.recent.map((r) => r.itemId)));
  const neighbours: NeighbourList[] = [...engaged].map((itemId) => {
    const it = items.find((x) => x.id === itemId)!;
    const pool = byCategory.get(it.category)!;
    const ns = sample(pool, 50)
      .filter((n) => n.id !== itemId)
      .map((n) => ({ itemId: n.id, co: int(1, 30), score: rand() }));
    ns.sort((a, b) => b.score - a.score);
    return { itemId, updatedAt: now - 3_600_000, mass: int(5, 200), neighbours: ns };
  });
  return { items, merchants, campaigns, profiles, coldUsers, neighbours };
}

/** Three days of item engagement and lifetime ad statistics / today's spend, from the seed. */
function counterDeltas(world: ServeWorld, seed: number, now: number): CounterDelta[] {
  const rand = mulberry32(seed ^ 0x9e3779b9);
  const out: CounterDelta[] = [];
  for (let d = 0; d < 3; d++) {
    const bucket = dayBucket(now - d * DAY);
    for (const it of world.items) {
      if (rand() < 0.4) continue;
      const views = Math.floor(rand() * rand() * 2000);
      out.push({ scope: 'item', id: it.id, bucket, field: 'impressions', by: views });
      out.push({
        scope: 'item',
        id: it.id,
        bucket,
        field: 'clicks',
        by: Math.floor(views * rand() * 0.1),
      });
    }
  }
  for (const c of world.campaigns) {
    const views = Math.floor(rand() * 5000);
    out.push({ scope: STATS, id: c.id, bucket: ALL, field: 'impressions', by: views });
    out.push({
      scope: STATS,
      id: c.id,
      bucket: ALL,
      field: 'clicks',
      by: Math.floor(views * rand() * 0.05),
    });
    const spent = Math.floor(rand() * c.dailyBudgetFen * 0.5);
    out.push({ scope: SPEND, id: c.id, bucket: dayBucket(now), field: 'spentFen', by: spent });
    out.push({ scope: SPEND, id: c.id, bucket: ALL, field: 'spentFen', by: spent * 3 });
  }
  return out;
}

/**
 * A click model trained on simulated impressions (users click items of the categories they
 * like, more often near the top), saved, registered and promoted to serve, as `train` does.
 */
async function promoteModel(
  stores: Stores,
  world: ServeWorld,
  seed: number,
  now: number,
  impressions: number,
): Promise<string> {
  const rand = mulberry32(seed ^ 0x5f3759df);
  const transformer = new CtrFeatureTransformer(DEFAULT_CTR_CONFIG.bits);
  const model = createCtrModel(DEFAULT_CTR_CONFIG);
  const vec = new FeatureVector();
  const published = world.items.filter((it) => it.status === 'published');
  let examples = 0;
  for (let n = 0; n < impressions; n++) {
    const p = world.profiles[Math.floor(rand() * world.profiles.length)];
    const it = published[Math.floor(rand() * published.length)];
    const position = Math.floor(rand() * 20);
    const liked = (p.interests[`cat:${it.category}`] ?? 0) > 0;
    const y = rand() < (liked ? 0.12 : 0.02) / (1 + position / 10) ? 1 : 0;
    const at = now - Math.floor(rand() * DAY);
    model.learn(
      transformer.transform(
        cardInput(
          userFeatures(p.openid, p, at, true),
          { itemId: it.id, meta: it },
          { at, position, scene: 1001 },
        ),
        vec,
      ),
      y,
    );
    examples++;
  }
  const version = 'v000001';
  const blobKey = `models/ctr/${version}.bin`;
  await stores.blobs.put(blobKey, model.serialize());
  await stores.models.add({
    version,
    kind: kindOf(model),
    createdAt: now,
    parent: null,
    examplesSeen: examples,
    metrics: {
      examples,
      positives: 0,
      auc: null,
      logLoss: null,
      calibration: null,
      servingAuc: null,
    },
    status: 'promoted',
    reason: 'bench: seeded model',
    blobKey,
  });
  await stores.models.swapServing(null, { version, since: now, reason: 'bench: seeded model' });
  return version;
}

/**
 * Writes the whole world into empty stores; returns the promoted model version. `impressions`:
 * the simulated impressions the model learns from (fewer for a test's small world: learning runs
 * many times slower under jest's transform).
 */
export async function seedServeWorld(
  stores: Stores,
  world: ServeWorld,
  seed: number,
  now: number,
  impressions = 30_000,
): Promise<string> {
  await stores.ads.upsertMerchants(world.merchants);
  await stores.ads.upsertCampaigns(world.campaigns);
  for (let i = 0; i < world.items.length; i += 500)
    await stores.catalog.upsert(world.items.slice(i, i + 500));
  await stores.profiles.put(world.profiles);
  await stores.neighbours.put(world.neighbours);
  // Every user consented (as the simulated ones do): the measured path ranks personally and logs the slate.
  for (const openid of [...world.profiles.map((p) => p.openid), ...world.coldUsers]) {
    await stores.privacy.recordConsent(openid, {
      noticeVersion: 'bench',
      granted: true,
      at: now - 86_400_000,
    });
  }
  const deltas = counterDeltas(world, seed, now).filter((d) => d.by > 0);
  for (let i = 0; i < deltas.length; i += 2000)
    await stores.counters.add(deltas.slice(i, i + 2000));
  return promoteModel(stores, world, seed, now, impressions);
}
