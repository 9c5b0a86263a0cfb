/**
 * The asker's interests in the FAQ ranking (智能客服, issue 19): a tie-breaker between near-equal
 * answers of different FAQ categories, bounded by INTEREST_PRIOR_MAX — never ahead of a clearly
 * better match, never a change to a score, nothing at all without interests (ATEC: no profiles).
 */
import type { FaqEntry } from '../../../server/ports';
import { FaqIndex, INTEREST_PRIOR_MAX } from '../../../server/support/faq-index';

const entry = (id: string, category: string, question: string, answer: string): FaqEntry => ({
  id,
  scope: 'platform',
  category,
  question,
  answer,
  similar: [],
  revision: 1,
  updatedAt: 0,
});

// Two entries asking the same thing in different categories: a question matching both equally,
// and a third that matches a different question clearly better.
const ENTRIES = [
  entry('a-pay', '支付', '订单可以取消吗', '未付款的订单在订单详情中直接取消。'),
  entry('b-trip', '出行', '订单可以取消吗', '旅行线路和酒店的订单以商家的取消政策为准。'),
  entry('c-pay', '支付', '付款失败怎么办', '请确认余额或银行卡可用后重试。'),
  entry('d-trip', '出行', '怎么规划旅行行程', '在旅行频道把路线加入我的行程。'),
];

describe('FaqIndex interest prior', () => {
  const index = new FaqIndex(ENTRIES, []);

  it('breaks a tie between answers of different categories towards the asker’s interest', () => {
    const plain = index.search('订单能取消吗', 2);
    expect(plain.map((h) => h.entry.id).sort()).toEqual(['a-pay', 'b-trip']);
    expect(Math.abs(plain[0].score - plain[1].score)).toBeLessThan(INTEREST_PRIOR_MAX);
    // Without interests the id decides the tie; an interest in 旅行 (which the 出行 entries speak of) flips it.
    expect(plain[0].entry.id).toBe('a-pay');
    const travel = index.search('订单能取消吗', 2, [{ name: '旅行', weight: 1 }]);
    expect(travel.map((h) => h.entry.id)).toEqual(['b-trip', 'a-pay']);
    // The scores are the text engine's, unchanged.
    const score = new Map(plain.map((h) => [h.entry.id, h.score]));
    for (const h of travel) expect(h.score).toBe(score.get(h.entry.id));
  });

  it('never puts a clearly worse match ahead', () => {
    const plain = index.search('付款失败了怎么办', 3);
    expect(plain[0].entry.id).toBe('c-pay');
    expect(plain[0].score - plain[1].score).toBeGreaterThan(INTEREST_PRIOR_MAX);
    const travel = index.search('付款失败了怎么办', 3, [{ name: '旅行', weight: 1 }]);
    expect(travel.map((h) => h.entry.id)).toEqual(plain.map((h) => h.entry.id));
  });

  it('weighs a category only by interests it is about, at their weight', () => {
    expect(index.categoryAffinity('出行', [{ name: '旅行', weight: 0.5 }])).toBe(0.5);
    expect(index.categoryAffinity('支付', [{ name: '旅行', weight: 1 }])).toBe(0);
    expect(index.categoryAffinity('出行', [])).toBe(0);
    expect(index.categoryAffinity('出行', [{ name: '美食', weight: 1 }])).toBe(0);
    // An interest weaker than 1 cannot move a near-tie by more than its share of the bound.
    const weak = index.search('订单能取消吗', 2, [{ name: '旅行', weight: 0 }]);
    expect(weak[0].entry.id).toBe('a-pay');
  });
});
