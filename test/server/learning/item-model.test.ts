/** train's item-model refresh: the engagement window, the time cut, and EASE lists written through the neighbours port (both adapters). */
import { DAY_MS } from '../../../server/engine/profiles/decay';
import { mulberry32 } from '../../../server/engine/models/rng';
import {
  appendEngagements,
  DEFAULT_ITEM_MODEL,
  itemsWithin,
  learnNeighbourLists,
  type EngagementRow,
} from '../../../server/learning/item-model';
import { runTraining, type TrainContext } from '../../../server/learning/training-run';
import { loadTrainState } from '../../../server/learning/trainer-state';
import type { StoredEvent, Stores } from '../../../server/ports';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import type { OpenedStores } from '../../helpers/sqlite-stores';

jest.setTimeout(30_000);
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const CATS = ['美食', '旅行', '科技', '体育'];
const ITEMS = Array.from({ length: 40 }, (_, i) =>
  makeItem(`it-${i}`, { category: CATS[i % 4], tags: [`t${i % 4}`] }),
);
const quiet = { info: () => undefined, error: () => undefined };

const event = (
  openid: string,
  itemId: string,
  type: StoredEvent['type'],
  at: number,
  n: number,
): StoredEvent => ({
  openid,
  eventId: `e${n}`,
  type,
  serverTime: at,
  clientTime: at,
  clockSkewed: false,
  sessionId: 's',
  page: 'pages/feed/index',
  itemId,
  props: {},
});

/** Users u0..u19 each engage only with items of one category (u % 4): co-engagement stays within a category. */
function engagement(at: number, seed: number, count = 400): StoredEvent[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, (_, k) => {
    const u = k % 20;
    const inCat = ITEMS.filter((it) => it.category === CATS[u % 4]);
    return event(
      `u${u}`,
      inCat[Math.floor(rand() * inCat.length)].id,
      rand() < 0.8 ? 'click' : 'like',
      at + k,
      seed * 10_000 + k,
    );
  });
}

describe('engagement window and time cut', () => {
  const o = { ...DEFAULT_ITEM_MODEL, maxEngagements: 5, windowMs: DAY_MS };

  it('keeps engaging events only, newest, within size and age', () => {
    const evs = [
      event('a', 'x', 'impression', T0, 1),
      event('a', 'x', 'click', T0 - 2 * DAY_MS, 2),
      event('a', 'y', 'like', T0, 3),
      event('a', 'z', 'hide', T0, 4),
    ];
    expect(appendEngagements([], evs, T0, o)).toEqual([['a', 'y', T0]]);
    const full: EngagementRow[] = Array.from({ length: 5 }, (_, i) => ['b', `i${i}`, T0 + i]);
    expect(
      appendEngagements(full, [event('c', 'n', 'share', T0 + 9, 5)], T0 + 9, o).map((r) => r[1]),
    ).toEqual(['i1', 'i2', 'i3', 'i4', 'n']);
  });

  it('models only as many items as the time left allows', () => {
    expect(itemsWithin(0, DEFAULT_ITEM_MODEL)).toBe(0);
    expect(itemsWithin(DEFAULT_ITEM_MODEL.msPerCubicGiga, DEFAULT_ITEM_MODEL)).toBe(1000);
    expect(itemsWithin(1e9, DEFAULT_ITEM_MODEL)).toBe(DEFAULT_ITEM_MODEL.maxItems);
    const window = engagement(T0, 1).map((e): EngagementRow => [e.openid, e.itemId!, e.serverTime]);
    expect(learnNeighbourLists(window, T0, 0, DEFAULT_ITEM_MODEL)).toEqual([]);
    // Room for 4 items (msPerCubicGiga · 0.004³): only those get a list (train replaces the stored set with them).
    const tiny = learnNeighbourLists(
      window,
      T0,
      DEFAULT_ITEM_MODEL.msPerCubicGiga * 0.004 ** 3 * 1.01,
      DEFAULT_ITEM_MODEL,
    );
    expect(tiny.length).toBeGreaterThan(0);
    expect(tiny.length).toBeLessThanOrEqual(4);
  });

  it('leaves excluded (unpublished) items out: no list of their own, never a neighbour', () => {
    const window = engagement(T0, 2).map((e): EngagementRow => [e.openid, e.itemId!, e.serverTime]);
    const excluded = new Set(['it-0', 'it-4']);
    const lists = learnNeighbourLists(window, T0, 10_000, DEFAULT_ITEM_MODEL, excluded);
    expect(lists).toHaveLength(38);
    expect(
      lists.some((l) => excluded.has(l.itemId) || l.neighbours.some((n) => excluded.has(n.itemId))),
    ).toBe(false);
  });

  it('finds co-engaged items as neighbours', () => {
    const window = engagement(T0, 2).map((e): EngagementRow => [e.openid, e.itemId!, e.serverTime]);
    const lists = learnNeighbourLists(window, T0, 10_000, DEFAULT_ITEM_MODEL);
    const cat = new Map(ITEMS.map((it) => [it.id, it.category]));
    for (const l of lists) {
      expect(l.neighbours.length).toBeGreaterThan(0);
      expect(l.neighbours.slice(0, 5).every((n) => cat.get(n.itemId) === cat.get(l.itemId))).toBe(
        true,
      );
      expect(
        l.neighbours.every(
          (n, k) => n.score > 0 && (k === 0 || n.score <= l.neighbours[k - 1].score),
        ),
      ).toBe(true);
    }
  });
});

describe.each(bothAdapters)('train refreshes the item model on %s', (_name, open) => {
  let opened: OpenedStores;
  let s: Stores;
  let now: number;
  const ctx = (): TrainContext => ({ stores: s, now: () => now, log: quiet });

  beforeEach(async () => {
    opened = await open();
    s = opened.stores;
    await s.catalog.upsert(ITEMS);
    now = T0;
  });
  afterEach(() => opened.cleanup());

  it('learns EASE lists over the window kept in its state, and relearns only when engagement arrives', async () => {
    await s.events.append(engagement(T0, 3));
    now = T0 + 60_000;
    const first = await runTraining(ctx(), { budgetMs: 20_000 });
    expect(first.status).toBe('trained');
    expect(first.neighbours).toBe(ITEMS.length);
    const lists = await s.neighbours.get(ITEMS.map((it) => it.id));
    expect(lists).toHaveLength(ITEMS.length);
    const cat = new Map(ITEMS.map((it) => [it.id, it.category]));
    for (const l of lists) {
      // EASE lists: weights, no co-counts; every strong neighbour shares the item's category.
      expect(l.neighbours.every((n) => n.co === 0)).toBe(true);
      expect(l.neighbours.slice(0, 5).every((n) => cat.get(n.itemId) === cat.get(l.itemId))).toBe(
        true,
      );
      expect(l.mass).toBeGreaterThan(0);
    }
    const cp = await s.checkpoints.get('train');
    expect((await loadTrainState(s.blobs, cp!.stateKey, quiet)).engagements).toHaveLength(400);

    // Impressions only: nothing new to learn the item model from, no lists written.
    await s.events.append(
      ITEMS.slice(0, 5).map((it, k) => event('u1', it.id, 'impression', now + k, 90_000 + k)),
    );
    now += 60_000;
    const idle = await runTraining(ctx(), { budgetMs: 20_000 });
    expect(idle.neighbours).toBe(0);

    // More engagement: the window grows and the lists are learned again over all of it.
    await s.events.append(engagement(now, 4, 100));
    now += 60_000;
    const second = await runTraining(ctx(), { budgetMs: 20_000 });
    expect(second.neighbours).toBe(ITEMS.length);
    const cp2 = await s.checkpoints.get('train');
    expect((await loadTrainState(s.blobs, cp2!.stateKey, quiet)).engagements).toHaveLength(500);
  });

  it('relearns when a full window takes new engagement (its length unchanged)', async () => {
    const itemModel = { ...DEFAULT_ITEM_MODEL, maxEngagements: 400 };
    await s.events.append(engagement(T0, 3));
    now = T0 + 60_000;
    expect((await runTraining(ctx(), { budgetMs: 20_000, itemModel })).neighbours).toBe(
      ITEMS.length,
    );
    await s.events.append(engagement(now, 4, 100));
    now += 60_000;
    expect((await runTraining(ctx(), { budgetMs: 20_000, itemModel })).neighbours).toBe(
      ITEMS.length,
    );
  });

  it('deletes the lists of items that left the window or were unpublished; they appear in no list', async () => {
    const itemModel = { ...DEFAULT_ITEM_MODEL, windowMs: DAY_MS };
    await s.events.append(engagement(T0, 3));
    now = T0 + 60_000;
    await runTraining(ctx(), { budgetMs: 20_000, itemModel });
    const ids = ITEMS.map((it) => it.id);
    expect(await s.neighbours.get(ids)).toHaveLength(40);
    // Two days on, only items it-0..it-19 are engaged with, and it-1 has been unpublished.
    now = T0 + 2 * DAY_MS;
    await s.catalog.upsert([{ ...ITEMS[1], status: 'unpublished' }]);
    const recent = engagement(now, 6).filter((e) => Number(e.itemId!.slice(3)) < 20);
    await s.events.append(recent);
    now += 60_000;
    const r = await runTraining(ctx(), { budgetMs: 20_000, itemModel });
    const left = await s.neighbours.get(ids);
    const engagedNow = new Set(recent.map((e) => e.itemId!));
    engagedNow.delete('it-1');
    expect(r.neighbours).toBe(engagedNow.size);
    expect(left.map((l) => l.itemId).sort()).toEqual([...engagedNow].sort());
    expect(
      left.some((l) =>
        l.neighbours.some((n) => n.itemId === 'it-1' || Number(n.itemId.slice(3)) >= 20),
      ),
    ).toBe(false);
    // With no new engagement, an item ageing out of the window still takes its list with it.
    now += 2 * DAY_MS;
    await s.events.append([event('u1', 'it-0', 'impression', now, 99_999)]);
    now += 60_000;
    await runTraining(ctx(), { budgetMs: 20_000, itemModel });
    expect(await s.neighbours.get(ids)).toEqual([]);
  });

  it('keeps the incremental cosine builder as the alternative', async () => {
    await s.events.append(engagement(T0, 5));
    now = T0 + 60_000;
    const r = await runTraining(ctx(), {
      budgetMs: 20_000,
      itemModel: { ...DEFAULT_ITEM_MODEL, kind: 'cosine' },
    });
    expect(r.neighbours).toBe(ITEMS.length);
    const [l] = await s.neighbours.get(['it-0']);
    // Cosine lists carry decayed co-counts (EASE writes none), within the item's category here.
    expect(l.neighbours.length).toBeGreaterThan(0);
    expect(l.neighbours.every((n) => n.co > 0 && n.score > 0)).toBe(true);
    expect(
      l.neighbours.every(
        (n) => ITEMS.find((it) => it.id === n.itemId)!.category === ITEMS[0].category,
      ),
    ).toBe(true);
  });
});
