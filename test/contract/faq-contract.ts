/** The FaqEntries and SupportAsks contracts, run against every adapter. */
import type { AskRecord, FaqEntries, FaqEntry, SupportAsks } from '../../server/ports';

const entry = (id: string, scope: string, over: Partial<FaqEntry> = {}): FaqEntry => ({
  id,
  scope,
  category: '还款',
  question: `问题 ${id}`,
  answer: `答案 ${id}`,
  similar: [],
  revision: 1,
  updatedAt: 100,
  ...over,
});

const ask = (id: string, scope: string, at: number, over: Partial<AskRecord> = {}): AskRecord => ({
  id,
  scope,
  question: `问 ${id}`,
  at,
  shown: ['f1', 'f2'],
  confidence: 0.7,
  lowConfidence: false,
  context: null,
  verdict: null,
  verdictFaqId: null,
  ...over,
});

export function describeFaqContract(
  name: string,
  open: () => Promise<{ faq: FaqEntries; asks: SupportAsks; cleanup: () => Promise<void> }>,
): void {
  describe(`faq and asks contract: ${name}`, () => {
    let faq: FaqEntries;
    let asks: SupportAsks;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ faq, asks, cleanup } = await open());
    });
    afterEach(() => cleanup());

    it("stores entries whole, lists a scope's by id, and refuses a second create of one id", async () => {
      const tricky = entry('b', 'm1', {
        question: '花呗怎么还款？ $where {a:1} "引号"',
        similar: ['花呗如何还钱', '怎样还花呗 🎉'],
      });
      expect(await faq.create(tricky)).toBe(true);
      expect(await faq.create(entry('a', 'm1'))).toBe(true);
      expect(await faq.create(entry('c', 'm2'))).toBe(true);
      expect(await faq.create(entry('a', 'm1', { answer: 'other' }))).toBe(false);
      expect(await faq.get('b')).toEqual(tricky);
      expect(await faq.get('zzz')).toBeNull();
      expect((await faq.list('m1')).map((e) => e.id)).toEqual(['a', 'b']);
      expect(await faq.list('m1')).toContainEqual(tricky);
      expect(await faq.list('nobody')).toEqual([]);
    });

    it('updates only at the expected revision and scope, replacing the phrasings whole', async () => {
      await faq.create(entry('a', 'm1', { similar: ['一', '二', '三'] }));
      const next = entry('a', 'm1', {
        revision: 2,
        similar: ['四'],
        answer: '新答案',
        updatedAt: 200,
      });
      expect(await faq.update(next, 2)).toBe(false);
      expect(await faq.update({ ...next, scope: 'm2' }, 1)).toBe(false);
      expect(await faq.update(next, 1)).toBe(true);
      expect(await faq.get('a')).toEqual(next);
      expect(await faq.update({ ...next, revision: 3 }, 1)).toBe(false);
      expect(await faq.update(entry('nope', 'm1', { revision: 2 }), 1)).toBe(false);
    });

    it('removes an entry only from its own scope', async () => {
      await faq.create(entry('a', 'm1'));
      expect(await faq.remove('m2', 'a')).toBe(false);
      expect(await faq.remove('m1', 'a')).toBe(true);
      expect(await faq.remove('m1', 'a')).toBe(false);
      expect(await faq.list('m1')).toEqual([]);
    });

    it("stores asks whole and lists a scope's newest first since a time", async () => {
      const a1 = ask('q1', 'm1', 100, { context: 'item:i1', question: '花呗\n怎么"还"' });
      await asks.add(a1);
      await asks.add(ask('q2', 'm1', 300));
      await asks.add(ask('q3', 'm1', 200));
      await asks.add(ask('q4', 'm2', 400));
      expect(await asks.get('q1')).toEqual(a1);
      expect(await asks.get('nope')).toBeNull();
      expect((await asks.recent('m1', 0, 10)).map((a) => a.id)).toEqual(['q2', 'q3', 'q1']);
      expect((await asks.recent('m1', 200, 10)).map((a) => a.id)).toEqual(['q2', 'q3']);
      expect((await asks.recent('m1', 0, 1)).map((a) => a.id)).toEqual(['q2']);
    });

    it('sets a verdict once', async () => {
      await asks.add(ask('q1', 'm1', 100));
      expect(await asks.setVerdict('q1', 'helpful', 'f2')).toBe(true);
      expect(await asks.setVerdict('q1', 'unhelpful', null)).toBe(false);
      expect(await asks.setVerdict('nope', 'helpful', null)).toBe(false);
      expect(await asks.get('q1')).toEqual(
        ask('q1', 'm1', 100, { verdict: 'helpful', verdictFaqId: 'f2' }),
      );
      expect((await asks.recent('m1', 0, 5))[0].verdict).toBe('helpful');
    });

    it('keeps one dictionary per scope, saved compare-and-set on its revision', async () => {
      expect(await faq.dictionary('m1')).toBeNull();
      const d1 = {
        scope: 'm1',
        words: ['飞鱼卡'],
        synonyms: [['会员卡', '贵宾卡']],
        revision: 1,
        updatedAt: 100,
      };
      expect(await faq.saveDictionary(d1, 0)).toBe(true);
      // A second first save (another editor from revision 0) changes nothing.
      expect(await faq.saveDictionary({ ...d1, words: [], revision: 1 }, 0)).toBe(false);
      expect(await faq.dictionary('m1')).toEqual(d1);
      // Arrays are replaced whole, not merged.
      const d2 = { ...d1, words: ['极速退'], synonyms: [['退款', '退钱', '返款']], revision: 2 };
      expect(await faq.saveDictionary(d2, 1)).toBe(true);
      expect(await faq.saveDictionary({ ...d2, revision: 3 }, 1)).toBe(false);
      expect(await faq.dictionary('m1')).toEqual(d2);
      expect(await faq.dictionary('m2')).toBeNull();
    });
  });
}
