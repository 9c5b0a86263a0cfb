/**
 * The campaign editor in miniprogram-simulate with real @vant/weapp components, a scripted
 * `merchant` client and (for uploads) the real uploader over a fake wx: create and edit (what is
 * sent, in fen and CST epoch ms), the form's own field errors and the server's mapped onto fields,
 * read-only for staff, image upload in local mode, and the load states.
 */
import type { CampaignInput, MerchantRequest } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import { setUploader, uploaderFor } from '../../../miniprogram/services/upload';
import { createFakeWx } from '../api/fake-wx';
import { tap, type } from '../merchant/page-helpers';
import {
  dom,
  saved,
  pickImage,
  step,
  tapChip,
  tapUpload,
  targetingOptions,
  useCampaignEditor,
  type EditorPage,
} from '../merchant/campaign-editor';
import {
  DAY0,
  DAY_MS,
  campaign,
  meGuest,
  meOwner,
  meStaff,
  settle,
  stubMerchant,
  texts,
} from '../merchant/campaign-fixtures';
import { tapRetry } from '../helpers/load-state';

const OPTIONS = targetingOptions({ categories: ['美食', '旅行'], tags: ['火锅', '露营'] });

const { render, open } = useCampaignEditor();

const fieldErrors = (page: EditorPage): string[] =>
  texts(dom(page), 'van-field', 'van-field__error-message');
/** Errors shown under steppers, date cells and pickers (the page's own error class, inside and outside cells). */
const otherErrors = (page: EditorPage): string[] =>
  Array.from(
    dom(page).querySelectorAll(
      '.van-cell--campaign-editor--rs-ce__error, .campaign-editor--rs-ce__error',
    ),
  )
    .map((el) => el.textContent?.trim() ?? '')
    .filter(Boolean);

const tapButton = (page: EditorPage, id: string): Promise<void> => tap(page, id, '.van-button');

const chipsOn = (page: EditorPage): string[] =>
  texts(dom(page), 'campaign-editor', 'rs-ce__chip--on');

/** A date picker's change, as WeChat's native picker sends it. */
async function pickDate(page: EditorPage, index: 0 | 1, value: string): Promise<void> {
  page
    .querySelector(index === 0 ? '#rs-ce-start' : '#rs-ce-end')!
    .dispatchEvent('change', { detail: { value } });
  await settle();
}

/** Picks the likely-buyers option at `index` (0: 不限) by tapping its radio. */
async function pickBuyers(page: EditorPage, index: number): Promise<void> {
  const icon = page.querySelector(`#rs-ce-buyers-${index}`)?.querySelector('.van-radio__icon-wrap');
  if (!icon) throw new Error(`no likely-buyers option ${index}`);
  icon.dispatchEvent('tap');
  await settle();
}

describe('campaign editor: create', () => {
  it('shows a spinner, then a blank form for an owner: today for 30 days, all day, ¥0.50 / ¥100 / ¥1,000', async () => {
    let answer!: (v: unknown) => void;
    setApi({
      call: (_n: string, req: { action: string }) =>
        req.action === 'me' ? new Promise((r) => (answer = r)) : Promise.resolve(OPTIONS),
    } as never);
    const page = render();
    const loading = page.instance.onLoad({});
    expect(dom(page).textContent).toContain('加载中');
    answer(meOwner);
    await loading;
    const form = page.instance.data.form;
    expect([form.startDate, form.endDate, form.bidYuan, form.dailyYuan, form.totalYuan]).toEqual([
      '2026-11-28',
      '2026-12-27',
      '0.50',
      '100.00',
      '1000.00',
    ]);
    expect(chipsOn(page)).toEqual(['全天']);
    // The catalog's categories and tags are the interest choices.
    expect(texts(dom(page), 'campaign-editor', 'rs-ce__chip').slice(0, 4)).toEqual([
      '美食',
      '旅行',
      '火锅',
      '露营',
    ]);
    expect(texts(dom(page), 'van-button', 'van-button__text')).toContain('创建广告计划');
  });

  it("names each field's problem before sending anything, and clears them once fixed", async () => {
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': { action: 'campaign.create', campaign: campaign() },
    });
    const toast = jest.spyOn(wx, 'showToast');
    const page = await open();
    await type(page, 'rs-ce-title', '   '); // (lengths are capped by the inputs' maxlength)
    await type(page, 'rs-ce-landing', '/not a path');
    await step(page, 'rs-ce-bid', 'minus', 5); // ¥0.50 → ¥0.00
    await step(page, 'rs-ce-total', 'minus', 10); // ¥1,000 → ¥0.00
    await pickDate(page, 1, '2026-11-20');
    await tapButton(page, 'rs-ce-save');
    expect(saved(calls)).toEqual([]);
    expect(fieldErrors(page)).toEqual([
      '名称不能为空',
      '标题不能为空',
      '应为小程序页面路径，如 pages/feed/index',
    ]);
    expect(otherErrors(page)).toEqual([
      '出价须在 ¥0.05 到 ¥100.00 之间',
      '总预算不能低于日预算',
      '结束日期不能早于开始日期',
    ]);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '请先修正标红的项目' }));

    await type(page, 'rs-ce-name', '计划');
    await type(page, 'rs-ce-title', '标题');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await step(page, 'rs-ce-bid', 'plus'); // ¥0.10
    await step(page, 'rs-ce-total', 'plus', 10); // ¥1,000
    await pickDate(page, 1, '2026-12-20');
    await tapButton(page, 'rs-ce-save');
    expect(fieldErrors(page)).toEqual([]);
    expect(otherErrors(page)).toEqual([]);
    expect(saved(calls)).toEqual([
      {
        action: 'campaign.create',
        campaign: expect.objectContaining({
          bidFen: 10,
          dailyBudgetFen: 10_000,
          totalBudgetFen: 100_000,
        }),
      },
    ]);
  });

  it('creates with everything converted: yuan → fen, CST dates → epoch ms (end date inclusive), picked targeting', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': {
        action: 'campaign.create',
        campaign: campaign({ id: 'c_new', status: 'draft' }),
      },
    });
    const back = jest.spyOn(wx, 'navigateBack');
    const page = await open();
    await type(page, 'rs-ce-name', ' 火锅节推广 ');
    await type(page, 'rs-ce-title', '火锅节限时八折');
    await type(page, 'rs-ce-description', '到店立减 20 元');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await type(page, 'rs-ce-cities', '上海，杭州 上海');
    for (const label of ['火锅', '美食', '女', '25-34 岁', '单聊分享卡片', '20时', '9时'])
      await tapChip(page, label);
    await step(page, 'rs-ce-bid', 'plus', 2); // ¥0.50 → ¥0.70
    await step(page, 'rs-ce-daily', 'plus'); // ¥100 → ¥110
    await step(page, 'rs-ce-total', 'plus'); // ¥1,000 → ¥1,100
    await pickDate(page, 0, '2026-12-01');
    await pickDate(page, 1, '2026-12-31');
    expect(chipsOn(page)).toEqual(
      ['火锅', '美食', '女', '25-34 岁', '单聊分享卡片', '9时', '20时'].sort(
        (a, b) => order(page, a) - order(page, b),
      ),
    );
    await tapButton(page, 'rs-ce-save');

    const expected: CampaignInput = {
      name: '火锅节推广',
      creative: {
        title: '火锅节限时八折',
        description: '到店立减 20 元',
        image: '',
        landing: { kind: 'page', path: 'pages/feed/index' },
      },
      targeting: {
        interestTags: ['火锅', '美食'],
        genders: ['female'],
        ageBands: ['25-34'],
        cities: ['上海', '杭州'],
        scenes: [1007],
      },
      bidFen: 70,
      dailyBudgetFen: 11_000,
      totalBudgetFen: 110_000,
      startAt: DAY0 + 3 * DAY_MS,
      endAt: DAY0 + 34 * DAY_MS,
      hours: [9, 20],
    };
    expect(saved(calls)).toEqual([{ action: 'campaign.create', campaign: expected }]);
    expect(fieldErrors(page)).toEqual([]);
    expect(back).toHaveBeenCalledTimes(1);
  });

  it('sends the likely-buyers share picked (不限 by default and on demand)', async () => {
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': {
        action: 'campaign.create',
        campaign: campaign({ id: 'c_new', status: 'draft' }),
      },
    });
    const page = await open();
    await type(page, 'rs-ce-name', '火锅节推广');
    await type(page, 'rs-ce-title', '火锅节限时八折');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    expect(page.instance.data.form.likelyBuyers).toBe(0);
    expect(texts(dom(page), 'campaign-editor', 'rs-ce__label')).toContain('可能购买的人群');
    await pickBuyers(page, 2); // 前 20%
    expect(page.instance.data.form.likelyBuyers).toBe(0.2);
    await pickBuyers(page, 0); // 不限 again
    expect(page.instance.data.form.likelyBuyers).toBe(0);
    await pickBuyers(page, 3); // 前 30%
    await tapButton(page, 'rs-ce-save');
    const sent = saved(calls)[0] as { campaign: CampaignInput };
    expect(sent.campaign.targeting.likelyBuyers).toBe(0.3);
  });

  it('shows a stored likely-buyers audience as picked when editing', async () => {
    const stored = campaign({ id: 'c_1', revision: 1 });
    stored.targeting = { ...stored.targeting, likelyBuyers: 0.5 };
    stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: stored },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(page.instance.data.form.likelyBuyers).toBe(0.5);
  });

  it("shows the server's field errors under their fields, and the rest above the form", async () => {
    const refusal = new ApiError(
      'INVALID_INPUT',
      '请求参数有误：bidFen: 出价须在 10 到 500 分之间; campaign.targeting.interestTags: 未知的兴趣标签：火星; campaign.creative.title: 标题最多 30 字; schedule: 太长',
    );
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': refusal,
    });
    const back = jest.spyOn(wx, 'navigateBack');
    const page = await open();
    await type(page, 'rs-ce-name', '计划');
    await type(page, 'rs-ce-title', '标题');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await tapButton(page, 'rs-ce-save');
    expect(saved(calls)).toHaveLength(1);
    expect(fieldErrors(page)).toEqual(['标题最多 30 字']);
    expect(otherErrors(page)).toEqual(['未知的兴趣标签：火星', '出价须在 10 到 500 分之间']); // in page order
    expect(texts(dom(page), 'campaign-editor', 'rs-ce__form-error')).toEqual(['schedule: 太长']);
    expect(back).not.toHaveBeenCalled();
    expect(page.instance.data.saving).toBe(false);
  });

  it('shows a refusal that names no field (not a member any more) above the form', async () => {
    stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': new ApiError('FORBIDDEN', '只有商家所有者可以进行此操作'),
    });
    const page = await open();
    await type(page, 'rs-ce-name', '计划');
    await type(page, 'rs-ce-title', '标题');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await tapButton(page, 'rs-ce-save');
    expect(texts(dom(page), 'campaign-editor', 'rs-ce__form-error')).toEqual([
      '只有商家所有者可以进行此操作',
    ]);
  });
});

/** A chip's position on the page (the order chips are drawn in). */
function order(page: EditorPage, label: string): number {
  return Array.from(dom(page).querySelectorAll('.campaign-editor--rs-ce__chip')).findIndex(
    (n) => n.textContent?.trim() === label,
  );
}

describe('campaign editor: edit', () => {
  it('loads the campaign and sends only what changed', async () => {
    const stored = campaign({ id: 'c_1', hours: [20, 9], revision: 4 });
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: stored },
      'campaign.update': {
        action: 'campaign.update',
        campaign: { ...stored, bidFen: 60, revision: 5 },
      },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(calls.slice(0, 3)).toEqual([
      { action: 'me' },
      { action: 'targeting.options' },
      { action: 'campaign.get', campaignId: 'c_1' },
    ]);
    const form = page.instance.data.form;
    expect([form.name, form.bidYuan, form.startDate, form.endDate, form.citiesText]).toEqual([
      '火锅节推广',
      '0.50',
      '2026-11-28',
      '2026-12-27',
      '上海',
    ]);
    expect(chipsOn(page)).toEqual(['美食', '18-24 岁', '发现页入口', '9时', '20时']);
    expect(texts(dom(page), 'van-button', 'van-button__text')).toContain('保存修改');

    const toast = jest.spyOn(wx, 'showToast');
    await tapButton(page, 'rs-ce-save');
    expect(saved(calls)).toEqual([]);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '没有修改' }));

    await step(page, 'rs-ce-bid', 'plus');
    await tapButton(page, 'rs-ce-save');
    // With the revision it loaded, so that a change someone made meanwhile is not overwritten.
    expect(saved(calls)).toEqual([
      { action: 'campaign.update', campaignId: 'c_1', patch: { bidFen: 60 }, expectedRevision: 4 },
    ]);
  });

  it('shows the conflict when someone changed the campaign since it loaded, and keeps the edit on screen', async () => {
    const message = '广告计划刚被其他人修改过，请刷新页面、确认最新内容后再修改';
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: campaign({ id: 'c_1' }) },
      'campaign.update': new ApiError('CONFLICT', message),
    });
    const page = await open({ campaignId: 'c_1' });
    const toast = jest.spyOn(wx, 'showToast');
    const back = jest.spyOn(wx, 'navigateBack');
    await step(page, 'rs-ce-bid', 'plus');
    await tapButton(page, 'rs-ce-save');
    // An old campaign without a revision is sent as revision 0.
    expect(saved(calls)).toEqual([
      { action: 'campaign.update', campaignId: 'c_1', patch: { bidFen: 60 }, expectedRevision: 0 },
    ]);
    expect(texts(dom(page), 'campaign-editor', 'rs-ce__form-error')).toEqual([message]);
    expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: message }));
    expect(back).not.toHaveBeenCalled();
    expect(page.instance.data.form.bidYuan).toBe('0.6');
    expect(page.instance.data.saving).toBe(false);
  });

  it('lets staff look but not edit: a notice, disabled fields, no save, chips that do not toggle', async () => {
    stubMerchant({
      me: meStaff,
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: campaign() },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(dom(page).textContent).toContain('员工可以查看广告计划，修改请联系商家所有者');
    expect(page.querySelector('#rs-ce-save')).toBeFalsy();
    expect(
      dom(page).querySelectorAll('.van-field--van-field__control--disabled').length,
    ).toBeGreaterThanOrEqual(5);
    const before = chipsOn(page);
    await tapChip(page, '旅行');
    expect(chipsOn(page)).toEqual(before);
  });

  it('shows an ended campaign read-only, even to its owner', async () => {
    stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: campaign({ status: 'ended' }) },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(dom(page).textContent).toContain('已结束的广告计划不能修改');
    expect(page.querySelector('#rs-ce-save')).toBeFalsy();
  });
});

describe('campaign editor: image upload (local mode, fake wx)', () => {
  const SHA = 'b'.repeat(64);

  it('uploads the picked image to the local host, previews it from there, and saves its local:// id', async () => {
    const fake = createFakeWx();
    fake.answerUpload({
      statusCode: 200,
      data: JSON.stringify({
        ok: true,
        data: {
          image: `local://uploads/${SHA}.png`,
          url: `/files/uploads/${SHA}.png`,
          bytes: 1000,
        },
      }),
    });
    setUploader(
      uploaderFor(
        { mode: 'local', localBaseUrl: 'http://127.0.0.1:3000', cloudEnv: '', timeoutMs: 5000 },
        fake.wx,
      ),
    );
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'campaign.create': { action: 'campaign.create', campaign: campaign() },
    });
    pickImage('http://tmp/photo.png');
    const page = await open();
    await tapUpload(page);
    expect(fake.uploads).toEqual([
      expect.objectContaining({
        url: 'http://127.0.0.1:3000/upload/image',
        filePath: 'http://tmp/photo.png',
        name: 'file',
      }),
    ]);
    expect(page.instance.data.fileList).toEqual([
      { url: `http://127.0.0.1:3000/files/uploads/${SHA}.png`, isImage: true },
    ]);
    expect(dom(page).querySelector('.van-uploader--van-uploader__preview-image')).toBeTruthy();

    await type(page, 'rs-ce-name', '计划');
    await type(page, 'rs-ce-title', '标题');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await tapButton(page, 'rs-ce-save');
    const [create] = saved(calls) as Extract<MerchantRequest, { action: 'campaign.create' }>[];
    expect(create.campaign.creative.image).toBe(`local://uploads/${SHA}.png`);
  });

  it("shows the host's refusal of an image under the image, and keeps none", async () => {
    const fake = createFakeWx();
    fake.answerUpload({
      statusCode: 413,
      data: JSON.stringify({ ok: false, code: 'PAYLOAD_TOO_LARGE', message: '图片不能超过 2 MB' }),
    });
    setUploader(
      uploaderFor(
        { mode: 'local', localBaseUrl: 'http://127.0.0.1:3000', cloudEnv: '', timeoutMs: 5000 },
        fake.wx,
      ),
    );
    stubMerchant({ me: meOwner, 'targeting.options': OPTIONS });
    pickImage('http://tmp/huge.png');
    const page = await open();
    await tapUpload(page);
    expect(otherErrors(page)).toEqual(['图片不能超过 2 MB']);
    expect(page.instance.data.form.image).toBe('');
    expect(page.instance.data.uploading).toBe(false);
  });
});

describe('campaign editor: image upload (cloud mode, fake wx.cloud)', () => {
  const STAGED = `uploads/${'f'.repeat(32)}/0b7c7c1e3f1a4d5e9c2b8a6f4e2d1c0b.png`;
  const PUBLISHED = `cloud://prod-1a2b.7072/ads/${'c'.repeat(64)}.png`;

  it("stages, uploads and publishes through `merchant`, shows the server's refusal in Chinese, then saves the published id", async () => {
    const fake = createFakeWx();
    fake.answerCloudUpload(
      { fileID: `cloud://prod-1a2b.7072/${STAGED}` },
      { fileID: `cloud://prod-1a2b.7072/${STAGED}` },
    );
    setUploader(
      uploaderFor(
        { mode: 'cloud', localBaseUrl: 'http://unused', cloudEnv: 'prod-1a2b', timeoutMs: 5000 },
        fake.wx,
      ),
    );
    const calls = stubMerchant({
      me: meOwner,
      'targeting.options': OPTIONS,
      'image.stage': { action: 'image.stage', cloudPath: STAGED },
      'image.publish': [
        new ApiError(
          'INVALID_INPUT',
          '请求参数有误：fileID: 图片内容与文件类型不符，请重新选择图片',
        ),
        { action: 'image.publish', published: { image: PUBLISHED, bytes: 1000 } },
      ],
      'campaign.create': { action: 'campaign.create', campaign: campaign() },
    });
    pickImage('wxfile://tmp/photo.png');
    const page = await open();
    const upload = () => tapUpload(page);

    await upload();
    expect(otherErrors(page)).toEqual([
      '请求参数有误：fileID: 图片内容与文件类型不符，请重新选择图片',
    ]);
    expect(page.instance.data.form.image).toBe('');

    await upload();
    expect(fake.cloudUploads.map((u) => u.cloudPath)).toEqual([STAGED, STAGED]);
    expect(page.instance.data.form.image).toBe(PUBLISHED);
    expect(otherErrors(page)).toEqual([]);
    await type(page, 'rs-ce-name', '计划');
    await type(page, 'rs-ce-title', '标题');
    await type(page, 'rs-ce-landing', 'pages/feed/index');
    await tapButton(page, 'rs-ce-save');
    const [create] = saved(calls) as Extract<MerchantRequest, { action: 'campaign.create' }>[];
    expect(create.campaign.creative.image).toBe(PUBLISHED);
    expect(calls.filter((c) => c.action === 'image.publish')).toHaveLength(2);
  });
});

describe('campaign editor: load states', () => {
  it('shows an error with retry, then the form', async () => {
    const calls = stubMerchant({
      me: [new ApiError('NETWORK', '网络连接失败，请检查网络后重试'), meOwner],
      'targeting.options': OPTIONS,
      'campaign.get': { action: 'campaign.get', campaign: campaign() },
    });
    const page = await open({ campaignId: 'c_1' });
    expect(dom(page).textContent).toContain('网络连接失败，请检查网络后重试');
    await tapRetry(page);
    expect(calls.filter((c) => c.action === 'campaign.get')).toHaveLength(2);
    expect(page.instance.data.form.name).toBe('火锅节推广');
  });

  it('tells a caller without a merchant to join first', async () => {
    stubMerchant({
      me: meGuest,
      'targeting.options': new ApiError('FORBIDDEN', '你还不是商家成员，请先使用邀请码加入商家'),
    });
    const page = await open();
    expect(dom(page).textContent).toContain('你还不是商家成员');
    expect(page.querySelector('#rs-ce-save')).toBeFalsy();
  });
});
