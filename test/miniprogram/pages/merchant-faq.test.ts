/**
 * 客服问答 in miniprogram-simulate with real @vant/weapp components and a scripted `support`
 * client: the report and the entries, a new entry (similar phrasings one per line), an edit of
 * the loaded revision and the server's CONFLICT shown in the form, delete after a confirmation,
 * a CSV import from a chat file, and a failed load with retry.
 */
import type { FaqEntryView, SupportRequest, SupportResponse } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/faq/index.json';
import { stubFunction } from '../helpers/stub-api';
import { loadWithVant } from '../helpers/vant';
import {
  answerModal,
  fullTexts,
  open,
  tap,
  texts,
  type,
  type Page,
} from '../merchant/page-helpers';

const ENTRY: FaqEntryView = {
  id: '0b3c5d7e-1111-4222-8333-444455556666',
  category: '售后',
  question: '多久发货',
  answer: '付款后 48 小时内发货',
  similar: ['什么时候发货', '发货时间'],
  revision: 3,
  updatedAt: 1,
};

const REPORT: SupportResponse = {
  action: 'report',
  report: {
    days: 7,
    asks: 12,
    answered: 9,
    helpful: 5,
    unhelpful: 2,
    handoffs: 1,
    topQuestions: [],
    unanswered: [{ question: '发票怎么开', count: 3 }],
  },
};

let pageId: string;
beforeAll(() => {
  pageId = loadWithVant('merchant/pages/faq/index', 'merchant-faq', pageJson.usingComponents);
});
afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

/** A `support` client answering list and report from `entries`, and the given answers for the rest. */
function stub(
  entries: FaqEntryView[],
  other: (req: SupportRequest) => SupportResponse | Error = () => new Error('unexpected'),
): SupportRequest[] {
  return stubFunction('support', (req) => {
    if (req.action === 'faq.list') return { action: 'faq.list', entries };
    if (req.action === 'report') return REPORT;
    return other(req);
  });
}

const writes = (calls: SupportRequest[]): SupportRequest[] =>
  calls.filter((c) => c.action !== 'faq.list' && c.action !== 'report');
const num = (page: Page): string[] => texts(page, 'merchant-faq', 'rs-fq__num');

describe('客服问答', () => {
  it('shows the last 7 days and the entries with their similar phrasings', async () => {
    stub([ENTRY]);
    const page = await open(pageId);
    expect(num(page)).toEqual(['12', '9', '5', '1']);
    expect(fullTexts(page, 'merchant-faq', 'rs-fq__question')).toEqual(['多久发货']);
    expect(fullTexts(page, 'merchant-faq', 'rs-fq__similar')).toEqual([
      '相似问法：什么时候发货、发货时间',
    ]);
    expect(fullTexts(page, 'van-cell', 'van-cell__title').join(' ')).toContain('发票怎么开');
  });

  it('creates an entry, one similar phrasing per line, and reloads', async () => {
    const calls = stub([], (req) =>
      req.action === 'faq.save' ? { action: 'faq.save', entry: ENTRY } : new Error('unexpected'),
    );
    const page = await open(pageId);
    await tap(page, 'rs-fq-new', '.van-button');
    await tap(page, 'rs-fq-save', '.van-button');
    expect(fullTexts(page, 'merchant-faq', 'rs-fq__error')).toEqual(['请填写分类、问题和答案']);
    await type(page, 'rs-fq-category', '售后');
    await type(page, 'rs-fq-question', '多久发货');
    await type(page, 'rs-fq-answer', '付款后 48 小时内发货');
    await type(page, 'rs-fq-similar', '什么时候发货\n\n 发货时间 ');
    await tap(page, 'rs-fq-save', '.van-button');
    expect(writes(calls)).toEqual([
      {
        action: 'faq.save',
        entry: {
          category: '售后',
          question: '多久发货',
          answer: '付款后 48 小时内发货',
          similar: ['什么时候发货', '发货时间'],
        },
      },
    ]);
    expect(page.instance.data.editing).toBe(false);
    expect(calls.filter((c) => c.action === 'faq.list')).toHaveLength(2);
  });

  it("edits the loaded revision and shows the server's CONFLICT in the form", async () => {
    const calls = stub(
      [ENTRY],
      () => new ApiError('CONFLICT', '这条问答刚被其他人修改过，请刷新后再修改'),
    );
    const page = await open(pageId);
    await tap(page, 'rs-fq-edit-0');
    expect(page.instance.data.form.question).toBe('多久发货');
    await type(page, 'rs-fq-answer', '24 小时内发货');
    await tap(page, 'rs-fq-save', '.van-button');
    expect(writes(calls)).toEqual([
      {
        action: 'faq.save',
        entry: {
          id: ENTRY.id,
          revision: 3,
          category: '售后',
          question: '多久发货',
          answer: '24 小时内发货',
          similar: ['什么时候发货', '发货时间'],
        },
      },
    ]);
    expect(fullTexts(page, 'merchant-faq', 'rs-fq__error')).toEqual([
      '这条问答刚被其他人修改过，请刷新后再修改',
    ]);
  });

  it('deletes only after a confirmation', async () => {
    const calls = stub([ENTRY], (req) =>
      req.action === 'faq.delete'
        ? { action: 'faq.delete', deleted: true }
        : new Error('unexpected'),
    );
    const page = await open(pageId);
    answerModal(false);
    await tap(page, 'rs-fq-delete-0');
    expect(writes(calls)).toEqual([]);
    jest.restoreAllMocks();
    answerModal(true);
    await tap(page, 'rs-fq-delete-0');
    expect(writes(calls)).toEqual([{ action: 'faq.delete', id: ENTRY.id }]);
  });

  it('imports a CSV file sent in a chat, and shows why an import failed', async () => {
    const csv = '分类,问题,答案\n售后,多久发货,48 小时\n';
    let answer: SupportResponse | Error = { action: 'faq.import', added: 1 };
    const calls = stub([], () => answer);
    const w = wx as unknown as Record<string, unknown>;
    w.chooseMessageFile = (o: { success(r: unknown): void }) =>
      o.success({ tempFiles: [{ path: 'wxfile://tmp/faq.csv', name: 'faq.csv' }] });
    w.getFileSystemManager = () => ({
      readFile: (o: { filePath: string; success(r: { data: string }): void }) =>
        o.success({ data: o.filePath === 'wxfile://tmp/faq.csv' ? csv : '' }),
    });
    const toast = jest.spyOn(wx, 'showToast');
    const page = await open(pageId);
    await tap(page, 'rs-fq-import', '.van-button');
    expect(writes(calls)).toEqual([{ action: 'faq.import', csv }]);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '已导入 1 条' }));
    answer = new ApiError('INVALID_INPUT', '第 3 行：请输入问题');
    const modal = answerModal(true);
    await tap(page, 'rs-fq-import', '.van-button');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ content: '第 3 行：请输入问题' }));
  });

  it('says why it could not load, and retries', async () => {
    let fail = true;
    stubFunction('support', (req) => {
      if (fail) return new ApiError('FORBIDDEN', '你还不是商家成员，请先使用邀请码加入商家');
      return req.action === 'faq.list' ? { action: 'faq.list', entries: [ENTRY] } : REPORT;
    });
    const page = await open(pageId);
    expect(page.instance.data.status).toBe('error');
    expect((page.dom as HTMLElement).textContent).toContain('你还不是商家成员');
    fail = false;
    await tap(page, 'rs-fq-retry', '.van-button');
    expect(page.instance.data.status).toBe('ready');
    expect(fullTexts(page, 'merchant-faq', 'rs-fq__question')).toEqual(['多久发货']);
  });
});
