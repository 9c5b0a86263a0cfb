/** servePage's card stages: content cards, each served card's tap probability at its own position, social proof. */
import type { AdCard, ContentItem, FeedCard } from '../../../../typings';
import type { CtrInput } from '../../../../server/engine/features/transformer';
import type { ClickScorer, RankedCard } from '../../../../server/engine/ranking/pipeline';
import {
  contentCard,
  contentCards,
  roundKm,
  tapProbabilities,
  withProof,
} from '../../../../server/serving/page/cards';
import { makeItem } from '../../../helpers/fixtures';

const NOW = Date.UTC(2026, 11, 6, 10, 0, 0);
const SHANGHAI = { lat: 31.23, lng: 121.47 };

const ranked = (itemId: string): RankedCard => ({
  itemId,
  score: 1,
  modelScore: 0.2,
  source: 'popular',
  propensity: 1,
});

const ad = (position: number): AdCard => ({
  kind: 'ad',
  position,
  sponsored: true,
  adId: 'c1',
  advertiser: '商家',
  merchantId: 'm1',
  creative: { title: '广告', description: '', image: '', landing: { kind: 'page', path: 'p' } },
  reason: { code: 'broad', text: '该广告面向所有用户投放' },
});

describe('roundKm and contentCard', () => {
  it('rounds a distance to one decimal under 10 km and to whole km beyond', () => {
    expect(roundKm(3.14159)).toBe(3.1);
    expect(roundKm(9.96)).toBe(10);
    expect(roundKm(12.5)).toBe(13);
  });

  it('shows the card fields only, a place with its distance when the user shared a location, and pctr to 4 decimals', () => {
    const it: ContentItem = makeItem('i1', {
      place: { city: '上海', lat: 31.3, lng: 121.5 },
    });
    const c = contentCard(it, 7, SHANGHAI, 0.123456);
    expect(c).toEqual({
      kind: 'content',
      position: 7,
      item: {
        id: 'i1',
        title: it.title,
        summary: it.summary,
        category: it.category,
        tags: it.tags,
        cover: it.cover,
        publishedAt: it.publishedAt,
        place: { city: '上海', distanceKm: expect.any(Number) },
      },
      pctr: 0.1235,
    });
    expect(c.item.place!.distanceKm).toBeGreaterThan(7);
    expect(c.item.place!.distanceKm).toBeLessThan(9);
    expect(Object.keys(c.item)).not.toContain('authorId');
    // No location shared: the city only; no score (or a non-finite one): no pctr.
    expect(contentCard(it, 0, null, null)).not.toHaveProperty('pctr');
    expect(contentCard(it, 0, null, null).item.place).toEqual({ city: '上海' });
    expect(contentCard(it, 0, undefined, Number.NaN)).not.toHaveProperty('pctr');
  });

  it('contentCards puts the ranked items at consecutive positions from the page offset, unscored', () => {
    const items = new Map(['a', 'b'].map((id) => [id, makeItem(id)]));
    const cards = contentCards([ranked('a'), ranked('b')], items, 20, null);
    expect(cards.map((c) => [c.position, c.item.id, c.pctr])).toEqual([
      [20, 'a', undefined],
      [21, 'b', undefined],
    ]);
  });
});

describe('tapProbabilities', () => {
  const items = new Map(['a', 'b'].map((id) => [id, makeItem(id)]));
  const who = {
    openid: 'u1',
    profile: null,
    personalised: false,
    graph: null,
    scene: 1007,
    now: NOW,
  };
  const page: FeedCard[] = [
    contentCard(items.get('a')!, 10, null, null),
    ad(11),
    contentCard(items.get('b')!, 12, null, null),
    // An item gone from the catalog since it was ranked keeps its card as it was.
    contentCard(makeItem('gone'), 13, null, null),
  ];

  it('scores each content card at its own position and launch scene; ads and unknown items are left alone', () => {
    const asked: CtrInput[] = [];
    const scorer: ClickScorer = {
      version: 'v1',
      predict: (input) => {
        asked.push(input);
        return (input.context.position ?? 0) / 100 + 0.000049;
      },
    };
    const out = tapProbabilities(page, scorer, items, who);
    expect(asked.map((a) => [a.item.id, a.context.position])).toEqual([
      ['a', 10],
      ['b', 12],
    ]);
    expect(asked.every((a) => a.context.scene === '1007')).toBe(true);
    expect(out.map((c) => (c.kind === 'content' ? c.pctr : 'ad'))).toEqual([
      0.1,
      'ad',
      0.12,
      undefined,
    ]);
    expect(out[1]).toBe(page[1]);
  });

  it('without a model, or with a non-finite score, leaves the cards unscored', () => {
    expect(tapProbabilities(page, null, items, who)).toBe(page);
    const nan: ClickScorer = { version: 'v1', predict: () => Number.NaN };
    expect(tapProbabilities(page, nan, items, who)).toEqual(page);
  });
});

describe('withProof', () => {
  const cards: FeedCard[] = ['a', 'b'].map((id, k) => contentCard(makeItem(id), k, null, null));

  it('counts the ties who liked each content item, only from 3 up, never who', () => {
    const ties = [
      { weight: 1, items: ['a', 'b'] },
      { weight: 1, items: ['a', 'b'] },
      { weight: 1, items: ['a'] },
    ];
    const out = withProof([...cards, ad(2)], ties);
    expect(out.map((c) => (c.kind === 'content' ? (c.socialProof ?? 0) : 'ad'))).toEqual([
      3,
      0,
      'ad',
    ]);
  });

  it('without ties, returns the cards untouched', () => {
    expect(withProof(cards, [])).toBe(cards);
  });
});
