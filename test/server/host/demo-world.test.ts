/** The demo world: deterministic per seed, plausible, and seeded only into an empty catalog. */
import type { Campaign, ContentItem, Merchant } from '../../../typings';
import type { Ads, Catalog } from '../../../server/ports';
import {
  CATEGORIES,
  FINANCE_PRODUCTS,
  TRAVEL_PLACES,
  generateDemoWorld,
  seedDemoWorld,
} from '../../../server/host/demo-world';

const NOW = Date.UTC(2026, 10, 28, 4, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

describe('generateDemoWorld', () => {
  const world = generateDemoWorld({ seed: 42, now: NOW });

  it('gives an identical world for the same seed and clock', () => {
    expect(generateDemoWorld({ seed: 42, now: NOW })).toEqual(world);
  });

  it('gives a different world for another seed', () => {
    const other = generateDemoWorld({ seed: 43, now: NOW });
    const same = other.items.filter((it, i) => it.title === world.items[i].title).length;
    expect(same).toBeLessThan(world.items.length / 4);
  });

  it('makes a few hundred items across all categories, with Chinese titles and category tags', () => {
    expect(world.items).toHaveLength(320);
    expect(new Set(world.items.map((i) => i.id)).size).toBe(320);
    const perCategory = new Map<string, number>();
    for (const item of world.items)
      perCategory.set(item.category, (perCategory.get(item.category) ?? 0) + 1);
    expect([...perCategory.keys()].sort()).toEqual(Object.keys(CATEGORIES).sort());
    for (const n of perCategory.values()) expect(n).toBeGreaterThanOrEqual(20);
    for (const item of world.items) {
      expect(item.title).toMatch(/[\u4e00-\u9fff]/);
      expect(item.title).not.toMatch(/[{}]/);
      expect(item.tags.length).toBeGreaterThanOrEqual(2);
      for (const tag of item.tags) expect(CATEGORIES[item.category].tags).toContain(tag);
    }
    expect(new Set(world.items.map((i) => i.title)).size).toBeGreaterThan(300);
  });

  it('spreads publishedAt over the last 30 days and leaves a few items without a cover', () => {
    const times = world.items.map((i) => i.publishedAt);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW - 30 * DAY - 1000);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(20 * DAY);
    const coverless = world.items.filter((i) => i.cover === '').length;
    expect(coverless).toBeGreaterThan(0);
    expect(coverless).toBeLessThan(world.items.length / 4);
  });

  it('makes merchants with campaigns that point at them and land on real content', () => {
    expect(world.merchants.length).toBeGreaterThanOrEqual(3);
    expect(world.campaigns.length).toBeGreaterThanOrEqual(world.merchants.length);
    const ids = new Set(world.merchants.map((m) => m.id));
    const items = new Map(world.items.map((i) => [i.id, i]));
    for (const c of world.campaigns) {
      expect(ids.has(c.merchantId)).toBe(true);
      expect(c.bidFen).toBeGreaterThan(0);
      expect(c.totalBudgetFen).toBeGreaterThanOrEqual(c.dailyBudgetFen);
      expect(c.endAt).toBeGreaterThan(NOW);
      expect(c.startAt).toBeLessThan(NOW);
      expect(c.targeting.interestTags.length).toBeGreaterThan(0);
      for (const h of c.hours) expect(h).toBeGreaterThanOrEqual(0);
      if (c.creative.landing.kind === 'item')
        expect(items.get(c.creative.landing.itemId)?.status).toBe('published');
    }
    expect(world.campaigns.some((c) => c.status === 'active')).toBe(true);
  });

  it('adds the 旅游出行 shelf on request: a route, a guide and a nearby hotel per sight, the rest unchanged', () => {
    const withShelf = generateDemoWorld({ seed: 42, now: NOW, travel: true });
    const placed = withShelf.items.filter((i) => i.place !== undefined);
    expect(placed).toHaveLength(TRAVEL_PLACES.length * 3);
    expect(withShelf.items.filter((i) => i.place === undefined)).toEqual(world.items);
    expect(new Set(placed.map((i) => i.id)).size).toBe(placed.length);
    for (const it of placed) {
      expect(it.category).toBe('旅行');
      expect(it.tags).toContain(it.place!.city);
      expect(it.place!.lat).toBeGreaterThan(18); // inside China's latitudes and longitudes
      expect(it.place!.lat).toBeLessThan(54);
      expect(it.place!.lng).toBeGreaterThan(73);
      expect(it.place!.lng).toBeLessThan(135);
    }
    expect(new Set(placed.map((i) => i.tags[0]))).toEqual(new Set(['路线', '攻略', '酒店']));
  });

  it('adds the 金融理财 shelf on request, every product and its campaigns risk-rated, the rest unchanged', () => {
    const withShelf = generateDemoWorld({ seed: 42, now: NOW, finance: true });
    const funds = withShelf.items.filter((i) => i.category === '理财');
    expect(funds).toHaveLength(FINANCE_PRODUCTS.length);
    expect(new Set(funds.map((i) => i.riskLevel))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(withShelf.items.filter((i) => i.category !== '理财')).toEqual(world.items);
    expect(world.items.some((i) => i.riskLevel !== undefined)).toBe(false);
    const fundIds = new Set(funds.map((i) => i.id));
    const fundAds = withShelf.campaigns.filter((c) => c.riskLevel !== undefined);
    expect(fundAds.length).toBeGreaterThanOrEqual(2);
    for (const c of fundAds) {
      // An ad for a product carries that product's level, and lands on it.
      expect(c.creative.landing.kind).toBe('item');
      const landing = c.creative.landing.kind === 'item' ? c.creative.landing.itemId : '';
      expect(fundIds.has(landing)).toBe(true);
      expect(c.riskLevel).toBe(funds.find((i) => i.id === landing)?.riskLevel);
    }
    expect(withShelf.campaigns.filter((c) => c.riskLevel === undefined)).toEqual(world.campaigns);
  });
});

function memoryCatalog(): Catalog & { items: Map<string, ContentItem> } {
  const items = new Map<string, ContentItem>();
  return {
    items,
    upsert: async (xs) => void xs.forEach((x) => items.set(x.id, x)),
    get: async (ids) => ids.flatMap((id) => (items.has(id) ? [items.get(id)!] : [])),
    list: async () => [...items.values()],
    count: async () => items.size,
    revision: async () => 0,
    putBodies: async () => undefined,
    body: async () => null,
    bodies: async () => new Map(),
  };
}

function memoryAds(): Ads & { merchants: Map<string, Merchant>; campaigns: Map<string, Campaign> } {
  const merchants = new Map<string, Merchant>();
  const campaigns = new Map<string, Campaign>();
  return {
    merchants,
    campaigns,
    upsertMerchants: async (xs) => void xs.forEach((x) => merchants.set(x.id, x)),
    getMerchant: async (id) => merchants.get(id) ?? null,
    listMerchants: async (limit) => [...merchants.values()].slice(0, limit),
    upsertCampaigns: async (xs) => void xs.forEach((x) => campaigns.set(x.id, x)),
    updateCampaign: async () => false,
    getCampaign: async (id) => campaigns.get(id) ?? null,
    listCampaigns: async (m) => [...campaigns.values()].filter((c) => c.merchantId === m),
    listCampaignsByStatus: async (st, limit) =>
      [...campaigns.values()].filter((c) => c.status === st).slice(0, limit),
  };
}

describe('seedDemoWorld', () => {
  const world = generateDemoWorld({ seed: 7, now: NOW, itemCount: 250 });

  it('stores every item, merchant and campaign into an empty catalog', async () => {
    const catalog = memoryCatalog();
    const ads = memoryAds();
    await expect(seedDemoWorld({ catalog, ads }, world)).resolves.toEqual({
      items: 250,
      merchants: world.merchants.length,
      campaigns: world.campaigns.length,
    });
    expect(catalog.items.size).toBe(250);
    expect(catalog.items.get('demo-item-0250')).toEqual(world.items[249]);
    expect([...ads.merchants.values()]).toEqual(world.merchants);
    expect([...ads.campaigns.values()]).toEqual(world.campaigns);
  });

  it('writes nothing when the catalog already has content', async () => {
    const catalog = memoryCatalog();
    const ads = memoryAds();
    await catalog.upsert([world.items[0]]);
    await expect(seedDemoWorld({ catalog, ads }, world)).resolves.toEqual({
      items: 0,
      merchants: 0,
      campaigns: 0,
    });
    expect(catalog.items.size).toBe(1);
    expect(ads.merchants.size + ads.campaigns.size).toBe(0);
  });
});
