/**
 * 词典与同义词 in miniprogram-simulate with real @vant/weapp components and a scripted `support`
 * client: the saved words and groups load into their textareas, a save sends one word per line and
 * one group per line on the revision loaded, the server's refusal (a bad word, CONFLICT) shows in
 * the form, and the FAQ page links here.
 */
import type { SupportRequest, SupportResponse } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/dictionary/index.json';
import faqJson from '../../../miniprogram/merchant/pages/faq/index.json';
import { groupsOf, wordsOf } from '../../../miniprogram/merchant/pages/dictionary/view';
import { stubFunction } from '../helpers/stub-api';
import { loadWithVant } from '../helpers/vant';
import { fullTexts, open, tap, type } from '../merchant/page-helpers';

const SAVED = {
  words: ['飞鱼卡'],
  synonyms: [['会员卡', '贵宾卡']],
  revision: 2,
  updatedAt: 1,
};

let pageId: string;
let faqId: string;
beforeAll(() => {
  pageId = loadWithVant(
    'merchant/pages/dictionary/index',
    'merchant-dictionary',
    pageJson.usingComponents,
  );
  faqId = loadWithVant('merchant/pages/faq/index', 'merchant-faq-link', faqJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
  delete (wx as unknown as Record<string, unknown>).navigateTo;
});

function stub(save: (req: SupportRequest) => SupportResponse | Error): SupportRequest[] {
  return stubFunction('support', (req) =>
    req.action === 'dictionary.get' ? { action: 'dictionary.get', dictionary: SAVED } : save(req),
  );
}

describe('词典与同义词', () => {
  it('splits words by line and groups by line and separator', () => {
    expect(wordsOf(' 飞鱼卡 \n\n极速退\n')).toEqual(['飞鱼卡', '极速退']);
    expect(groupsOf('会员卡 贵宾卡，VIP卡\n\n退款、退钱\n')).toEqual([
      ['会员卡', '贵宾卡', 'VIP卡'],
      ['退款', '退钱'],
    ]);
  });

  it('loads what is saved and saves the edit on the revision loaded', async () => {
    const calls = stub((req) =>
      req.action === 'dictionary.save'
        ? {
            action: 'dictionary.save',
            dictionary: { ...req.dictionary, revision: 3, updatedAt: 2 },
          }
        : new Error('unexpected'),
    );
    const page = await open(pageId);
    expect(page.instance.data.words).toBe('飞鱼卡');
    expect(page.instance.data.synonyms).toBe('会员卡 贵宾卡');
    await type(page, 'rs-dc-words', '飞鱼卡\n极速退');
    await type(page, 'rs-dc-synonyms', '会员卡 贵宾卡\n退款、退钱');
    await tap(page, 'rs-dc-save', '.van-button');
    expect(calls.filter((c) => c.action === 'dictionary.save')).toEqual([
      {
        action: 'dictionary.save',
        dictionary: {
          words: ['飞鱼卡', '极速退'],
          synonyms: [
            ['会员卡', '贵宾卡'],
            ['退款', '退钱'],
          ],
          revision: 2,
        },
      },
    ]);
    expect(page.instance.data.revision).toBe(3);
    expect(page.instance.data.synonyms).toBe('会员卡 贵宾卡\n退款 退钱');
  });

  it("shows the server's refusal in the form", async () => {
    stub(() => new ApiError('INVALID_INPUT', '词语需为 2–16 个字：「卡」'));
    const page = await open(pageId);
    await type(page, 'rs-dc-words', '卡');
    await tap(page, 'rs-dc-save', '.van-button');
    expect(fullTexts(page, 'merchant-dictionary', 'rs-dc__error')).toEqual([
      '词语需为 2–16 个字：「卡」',
    ]);
    expect(page.instance.data.revision).toBe(2);
  });

  it('is linked from 客服问答', async () => {
    stubFunction('support', (req) =>
      req.action === 'faq.list'
        ? { action: 'faq.list', entries: [] }
        : {
            action: 'report',
            report: {
              days: 7,
              asks: 0,
              answered: 0,
              helpful: 0,
              unhelpful: 0,
              handoffs: 0,
              topQuestions: [],
              unanswered: [],
            },
          },
    );
    const navigateTo = jest.fn();
    (wx as unknown as Record<string, unknown>).navigateTo = navigateTo;
    const page = await open(faqId);
    await tap(page, 'rs-fq-dictionary', '.van-button');
    expect(navigateTo).toHaveBeenCalledWith({ url: '/merchant/pages/dictionary/index' });
  });
});
