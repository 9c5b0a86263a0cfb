/**
 * The place source (旅游出行): great-circle distances against hand-computed ones, a destination
 * city's anchor, candidates ordered by distance within the radius and the allowed mask, and the
 * feed ranking that puts nearby travel items first only when the request names a place.
 */
import { mulberry32 } from '../../../server/engine/models/rng';
import {
  cityAnchor,
  distanceKm,
  nearbySource,
} from '../../../server/engine/ranking/candidates/nearby';
import { ItemIndex, type ItemFacts } from '../../../server/engine/ranking/item-index';
import { rankFeed, type FeedState, type FeedUser } from '../../../server/engine/ranking/pipeline';

const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const H = 3_600_000;

const FORBIDDEN_CITY = { lat: 39.9163, lng: 116.3972 };
const THE_BUND = { lat: 31.24, lng: 121.4905 };
const KUANZHAI = { lat: 30.6702, lng: 104.0585 };
const DUJIANGYAN = { lat: 31.0017, lng: 103.6087 };

describe('distanceKm', () => {
  it('matches the haversine distances computed by hand (R = 6371.0088 km)', () => {
    expect(distanceKm(FORBIDDEN_CITY, THE_BUND)).toBeCloseTo(1068.58, 1);
    expect(distanceKm(KUANZHAI, DUJIANGYAN)).toBeCloseTo(56.6, 1);
    expect(distanceKm(KUANZHAI, KUANZHAI)).toBe(0);
    // Symmetric, and sane across the antimeridian.
    expect(distanceKm(THE_BUND, FORBIDDEN_CITY)).toBeCloseTo(1068.58, 1);
    expect(distanceKm({ lat: 0, lng: 179.9 }, { lat: 0, lng: -179.9 })).toBeCloseTo(22.24, 1);
  });
});

describe('nearbySource and cityAnchor', () => {
  const facts: ItemFacts[] = [
    {
      id: 'kuanzhai',
      category: '旅行',
      tags: [],
      publishedAt: NOW,
      place: { city: '成都', ...KUANZHAI },
    },
    {
      id: 'dujiangyan',
      category: '旅行',
      tags: [],
      publishedAt: NOW,
      place: { city: '成都', ...DUJIANGYAN },
    },
    {
      id: 'bund',
      category: '旅行',
      tags: [],
      publishedAt: NOW,
      place: { city: '上海', ...THE_BUND },
    },
    { id: 'plain', category: '美食', tags: [], publishedAt: NOW },
  ];
  const index = new ItemIndex(facts);
  const ids = (scores: Map<number, number>) =>
    [...scores].sort((a, b) => b[1] - a[1]).map(([i]) => index.items[i].id);

  it('scores placed items by closeness within the radius, nearest first', () => {
    const near = nearbySource(index, [{ lat: 30.67, lng: 104.06 }], 10, () => true);
    expect(ids(near)).toEqual(['kuanzhai', 'dujiangyan']); // the Bund is 1,600 km away
    expect(near.get(index.pos.get('kuanzhai')!)).toBeCloseTo(Math.exp(-0.2 / 25), 2);
    expect(near.get(index.pos.get('dujiangyan')!)).toBeCloseTo(Math.exp(-56.6 / 25), 2);
    expect(nearbySource(index, [], 10, () => true).size).toBe(0);
    // The mask holds (hides, suitability), and k keeps the best.
    const masked = nearbySource(index, [KUANZHAI], 10, (i) => index.items[i].id !== 'kuanzhai');
    expect(ids(masked)).toEqual(['dujiangyan']);
    expect(ids(nearbySource(index, [KUANZHAI, THE_BUND], 2, () => true))).toEqual([
      'kuanzhai',
      'bund',
    ]);
  });

  it("anchors a destination at the centre of the catalog's places in that city", () => {
    const a = cityAnchor(index, '成都市');
    expect(a?.lat).toBeCloseTo((KUANZHAI.lat + DUJIANGYAN.lat) / 2, 6);
    expect(a?.lng).toBeCloseTo((KUANZHAI.lng + DUJIANGYAN.lng) / 2, 6);
    expect(cityAnchor(index, '拉萨')).toBeNull();
  });
});

describe('the feed with a place', () => {
  // Popular food items, and travel items in two cities that nobody has clicked yet.
  const items: ItemFacts[] = [
    ...Array.from({ length: 12 }, (_, i) => ({
      id: `food-${i}`,
      category: '美食',
      tags: ['火锅'],
      publishedAt: NOW - (i + 1) * H,
    })),
    ...[0, 1, 2].map((k) => ({
      id: `chengdu-${k}`,
      category: '旅行',
      tags: ['攻略'],
      publishedAt: NOW - 48 * H,
      place: { city: '成都', lat: KUANZHAI.lat + k * 0.01, lng: KUANZHAI.lng },
    })),
    ...[0, 1, 2].map((k) => ({
      id: `shanghai-${k}`,
      category: '旅行',
      tags: ['攻略'],
      publishedAt: NOW - 48 * H,
      place: { city: '上海', lat: THE_BUND.lat + k * 0.01, lng: THE_BUND.lng },
    })),
  ];
  const state: FeedState = {
    index: new ItemIndex(items),
    popularity: Float64Array.from(items, (it) => (it.place ? 0 : 50)),
    neighbours: new Map(),
    scorer: null,
  };
  const user: FeedUser = {
    openid: 'u1',
    personalised: true,
    profile: null,
    history: [],
    exclude: {},
  };
  const page = (anchors?: { lat: number; lng: number }[]) =>
    rankFeed(state, user, {
      now: NOW,
      scene: null,
      category: null,
      count: 8,
      offset: 0,
      rand: mulberry32(1),
      ...(anchors ? { anchors } : {}),
    }).cards;

  const travel = (cards: ReturnType<typeof page>) =>
    cards.filter((c) => /^(chengdu|shanghai)/.test(c.itemId)).map((c) => [c.itemId, c.source]);

  it("brings the travel items near the place into the page, nearest first, the page's diversity kept", () => {
    expect(travel(page([{ lat: 30.66, lng: 104.06 }]))).toEqual([
      ['chengdu-0', 'nearby'],
      ['chengdu-1', 'nearby'],
    ]);
    expect(travel(page([{ lat: 31.26, lng: 121.49 }]))).toEqual([
      ['shanghai-2', 'nearby'],
      ['shanghai-1', 'nearby'],
    ]);
  });

  it('uses no place source when no place is named', () => {
    expect(page().some((c) => c.source === 'nearby')).toBe(false);
    // Without a place the equally old travel items come by freshness, in catalog order.
    expect(travel(page())).toEqual([
      ['chengdu-0', 'fresh'],
      ['chengdu-1', 'fresh'],
    ]);
  });
});
