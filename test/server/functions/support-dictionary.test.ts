/**
 * The FAQ editor's dictionary and synonyms (智能客服) on both adapters: a merchant's owner reads
 * and saves them compare-and-set, bad words are refused with nothing stored, each scope keeps its
 * own, and the merchant's FAQ is matched with them at once (a synonym maps the customer's word
 * onto the FAQ's; a dictionary word stays whole).
 */
import type { ApiResult, SupportResponse } from '../../../typings';
import support from '../../../server/functions/support';
import { toHandler } from '../../../server/runtime/function';
import { cleanLexicon } from '../../../server/support/dictionary';
import { Analyzer } from '../../../server/engine/text/analyzer';
import { jiebaSegmenter } from '../../../server/text/segmenter';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const handler = toHandler(support);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const OWNER = 'owner-d1';
const OTHER = 'owner-d2';
const USER = 'asker-d';

describe('dictionary words', () => {
  it('are cleaned, deduplicated, and refused when too short, too long, symbolic or in two groups', () => {
    expect(cleanLexicon({ words: [' 飞鱼卡 ', '飞鱼卡', 'iPhone 15'], synonyms: [] })).toEqual({
      words: ['飞鱼卡', 'iPhone 15'],
      synonyms: [],
    });
    for (const bad of ['卡', 'a'.repeat(17), '<script>', '退款\u0000', '$where'])
      expect(() => cleanLexicon({ words: [bad], synonyms: [] })).toThrow(/词语/);
    expect(() => cleanLexicon({ words: [], synonyms: [['退款']] })).toThrow(/2–10 个不同的词/);
    expect(() =>
      cleanLexicon({
        words: [],
        synonyms: [
          ['退款', '退钱'],
          ['退钱', '返款'],
        ],
      }),
    ).toThrow(/已在第 1 组/);
  });

  it('change how the analyzer splits and maps a question', () => {
    const plain = new Analyzer(jiebaSegmenter);
    const own = new Analyzer(jiebaSegmenter, {
      dictionary: ['飞鱼卡'],
      synonyms: [['会员卡', '贵宾卡']],
    });
    expect(plain.tokens('飞鱼卡激活')).not.toContain('飞鱼卡');
    expect(own.tokens('飞鱼卡激活')).toContain('飞鱼卡');
    expect(own.tokens('贵宾卡怎么办')).toContain('会员卡');
  });
});

describe.each(bothAdapters)('support dictionary on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const call = (payload: object, openid = OWNER): Promise<ApiResult<SupportResponse>> =>
    handler({ payload, openid }, deps);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  const ok = async (payload: object, openid = OWNER): Promise<any> => {
    const res = await call(payload, openid);
    if (!res.ok) throw new Error(`${res.code}: ${res.message}`);
    return res.data;
  };

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
    await opened.stores.ads.upsertMerchants([
      { id: 'd1', name: '飞鱼', createdAt: NOW },
      { id: 'd2', name: '别家', createdAt: NOW },
    ]);
    for (const [openid, merchantId] of [
      [OWNER, 'd1'],
      [OTHER, 'd2'],
    ])
      await opened.stores.merchants.addMember(openid, { merchantId, role: 'owner', joinedAt: NOW });
  });
  afterEach(() => opened.cleanup());

  it('saves compare-and-set, keeps each scope apart, and refuses bad input changing nothing', async () => {
    expect((await ok({ action: 'dictionary.get' })).dictionary).toEqual({
      words: [],
      synonyms: [],
      revision: 0,
      updatedAt: null,
    });
    const saved = await ok({
      action: 'dictionary.save',
      dictionary: { words: ['飞鱼卡'], synonyms: [['会员卡', '贵宾卡', 'VIP卡']], revision: 0 },
    });
    expect(saved.dictionary).toEqual({
      words: ['飞鱼卡'],
      synonyms: [['会员卡', '贵宾卡', 'VIP卡']],
      revision: 1,
      updatedAt: NOW,
    });
    expect((await ok({ action: 'dictionary.get' })).dictionary).toEqual(saved.dictionary);
    // A save from the revision loaded before answers CONFLICT; the newer one stands.
    const stale = await call({
      action: 'dictionary.save',
      dictionary: { words: [], synonyms: [], revision: 0 },
    });
    expect(stale).toMatchObject({ ok: false, code: 'CONFLICT' });
    // Another merchant's editor sees and edits only its own.
    expect((await ok({ action: 'dictionary.get' }, OTHER)).dictionary.revision).toBe(0);
    // Bad words and strangers: refused, nothing stored.
    const bad = await call({
      action: 'dictionary.save',
      dictionary: { words: ['卡'], synonyms: [], revision: 1 },
    });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(bad.ok ? '' : bad.message).toMatch(/[\u4e00-\u9fff]/);
    expect(
      await call(
        { action: 'dictionary.save', dictionary: { words: ['飞鱼卡'], synonyms: [], revision: 1 } },
        USER,
      ),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(
      await call({ action: 'dictionary.save', dictionary: { words: [], synonyms: [] } }),
    ).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await ok({ action: 'dictionary.get' })).dictionary).toEqual(saved.dictionary);
  });

  it("matches the merchant's FAQ with its synonyms at once", async () => {
    await ok({
      action: 'faq.save',
      entry: {
        category: '会员',
        question: '会员卡怎么激活',
        answer: '在「我的 → 会员卡」点击激活',
        similar: ['会员卡激活不了'],
      },
    });
    await ok({
      action: 'faq.save',
      entry: {
        category: '售后',
        question: '多久发货',
        answer: '下单后 48 小时内发货',
        similar: ['什么时候发货'],
      },
    });
    const ask = async () =>
      (await ok({ action: 'ask', question: '贵宾卡怎么激活', merchantId: 'd1' }, USER)).answers[0];
    const before = await ask();
    await ok({
      action: 'dictionary.save',
      dictionary: { words: [], synonyms: [['会员卡', '贵宾卡']], revision: 0 },
    });
    const after = await ask();
    expect(after.question).toBe('会员卡怎么激活');
    expect(after.score).toBeGreaterThan(before.score);
  });
});
