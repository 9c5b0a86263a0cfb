/** The simulation's oracle policy: true click probabilities in order, under the feed's rules. */
import type { ContentCard, ContentItem } from '../../../typings';
import { oracleFeed } from '../../../server/host/oracle';
import type { SimUser } from '../../../server/host/simulate';

const item = (id: string, category: string): ContentItem => ({
  id,
  title: id,
  summary: '',
  category,
  tags: [],
  cover: '',
  authorId: 'a',
  publishedAt: 0,
  status: 'published',
});

const user: SimUser = { openid: 'u', affinity: { 美食: 0.9, 旅行: 0.1 }, tagAffinity: {} };
const items = [
  ...Array.from({ length: 150 }, (_, i) => item(`food-${String(i).padStart(3, '0')}`, '美食')),
  item('trip-1', '旅行'),
];
/** Ties (one category) are broken by id, so the true order is known. */
const interest = (u: SimUser, category: string): number => u.affinity[category] ?? 0;

describe('oracle feed', () => {
  const feed = () => oracleFeed(items, [3], interest);

  it('serves the most likely clicks first, leaves the ad slot free and pages without repeats', () => {
    const f = feed();
    const first = f(user, 'foryou', undefined, 5);
    expect(first.cards.map((c) => [c.position, (c as ContentCard).item.id])).toEqual([
      [0, 'food-000'],
      [1, 'food-001'],
      [2, 'food-002'],
      [4, 'food-003'],
      [5, 'food-004'],
    ]);
    const second = f(user, 'foryou', first.cursor!, 5);
    expect((second.cards[0] as ContentCard).item.id).toBe('food-005');
    expect(second.cards[0].position).toBe(6);
  });

  it("does not show the user's last 100 impressions again while anything else is left", () => {
    const f = feed();
    f(user, 'foryou', undefined, 60);
    const next = f(user, 'foryou', undefined, 60).cards.map((c) => (c as ContentCard).item.id);
    expect(next[0]).toBe('food-060');
    // 120 seen, the profile remembers the last 100: the first 20 come back before anything worse.
    const third = f(user, 'foryou', undefined, 40).cards.map((c) => (c as ContentCard).item.id);
    expect(third.slice(0, 20)).toEqual(
      Array.from({ length: 20 }, (_, i) => `food-${String(i).padStart(3, '0')}`),
    );
  });
});
