/**
 * The create-experiment form in miniprogram-simulate with real @vant/weapp components and a
 * stubbed `merchant` client: who may use it, the field messages, and the exact create request.
 */
import * as simulate from 'miniprogram-simulate';
import type { MerchantRequest } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import pageJson from '../../../miniprogram/merchant/pages/experiment-new/index.json';
import { vantComponents } from '../helpers/vant';
import { experiment, me } from '../merchant/experiment-fixtures';
import { open, settle, stubMerchant, tap, texts } from '../merchant/page-helpers';
import type { Answer, Page } from '../merchant/page-helpers';

const MP_ROOT = `${__dirname}/../../../miniprogram`;
const TAG = 'experiment-new-page';

function server(role: 'owner' | 'staff', create: (req: MerchantRequest) => Answer = () => ({ action: 'experiment.create', experiment: experiment({ id: 'exp_new' }) })) {
  return (req: MerchantRequest): Answer => {
    if (req.action === 'me') return me(role);
    if (req.action === 'experiment.create') return create(req);
    throw new Error(`unexpected ${req.action}`);
  };
}

let pageId: string;

beforeAll(() => {
  pageId = simulate.load(`${MP_ROOT}/merchant/pages/experiment-new/index`, TAG, {
    rootPath: MP_ROOT,
    usingComponents: vantComponents(pageJson.usingComponents),
  });
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

/** A vant field or stepper's change event, as the component emits it (the value is the detail). */
async function change(page: Page, id: string, value: string | number): Promise<void> {
  const node = page.querySelector(`#${id}`);
  if (!node) throw new Error(`no #${id}`);
  node.dispatchEvent('change', { detail: value });
  await simulate.sleep(0);
  await settle();
}

const fieldErrors = (page: Page): string[] => texts(page, 'van-field', 'van-field__error-message');

describe('merchant create-experiment page', () => {
  it('staff are told only owners create experiments', async () => {
    const calls = stubMerchant(server('staff'));
    const page = await open(pageId);
    expect(calls).toEqual([{ action: 'me' }]);
    expect(texts(page, 'van-empty', 'van-empty__description')).toEqual(['只有商家所有者可以创建实验']);
    expect(page.querySelector('#rs-expnew-submit')).toBeFalsy();
  });

  it('sends the filled form as experiment.create and opens the new draft', async () => {
    const calls = stubMerchant(server('owner'));
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '广告位后移');
    await tap(page, 'rs-expnew-param-2'); // 广告位置
    await change(page, 'rs-expnew-traffic', 20);
    await tap(page, 'rs-expnew-target-likes_per_impression');
    await tap(page, 'rs-expnew-guard-ctr');
    await change(page, 'rs-expnew-vvalue-0', '4, 11');
    await change(page, 'rs-expnew-vname-1', 'later');
    await change(page, 'rs-expnew-vvalue-1', '6，13');
    await change(page, 'rs-expnew-vweight-1', 3);
    expect(texts(page, TAG, 'rs-expnew__hint')[0]).toMatch(/^取值：放广告的信息流位置/);

    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(calls[1]).toEqual({
      action: 'experiment.create',
      experiment: {
        name: '广告位后移',
        parameter: 'ads.slots',
        trafficPercent: 20,
        variants: [
          { name: 'control', weight: 1, value: [3, 10] },
          { name: 'later', weight: 3, value: [5, 12] },
        ],
        targetMetric: 'likes_per_impression',
        guardrails: ['ctr'],
      },
    });
    expect(redirect).toHaveBeenCalledWith(expect.objectContaining({ url: '/merchant/pages/experiment/index?experimentId=exp_new' }));
  });

  it('shows each wrong field and sends nothing', async () => {
    const calls = stubMerchant(server('owner'));
    const page = await open(pageId);
    await change(page, 'rs-expnew-vvalue-0', '2');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(calls).toHaveLength(1);
    expect(fieldErrors(page)).toEqual(['名称不能为空', '应为 0–1 之间的数，如 0.3', '应为 0–1 之间的数，如 0.3']);
    expect(texts(page, TAG, 'rs-expnew__form-error')).toEqual(['请先修改标红的项']);
  });

  it('adds variants up to five and removes any but the control', async () => {
    stubMerchant(server('owner'));
    const page = await open(pageId);
    expect(page.querySelector('#rs-expnew-vremove-1')).toBeFalsy(); // two is the minimum
    for (let i = 0; i < 3; i++) await tap(page, 'rs-expnew-add', '.van-button');
    expect(page.instance.data.form.variants.map((v: { name: string }) => v.name)).toEqual(['control', 'treatment', 'variant2', 'variant3', 'variant4']);
    expect(page.querySelector('#rs-expnew-add')).toBeFalsy();
    await tap(page, 'rs-expnew-vremove-2', '.van-button');
    expect(page.instance.data.form.variants.map((v: { name: string }) => v.name)).toEqual(['control', 'treatment', 'variant3', 'variant4']);
    expect(page.querySelector('#rs-expnew-vremove-0')).toBeFalsy();
  });

  it("shows the server's refusal and stays on the form", async () => {
    stubMerchant(server('owner', () => new ApiError('FORBIDDEN', '只有商家所有者可以创建实验')));
    const redirect = jest.spyOn(wx, 'redirectTo');
    const page = await open(pageId);
    await change(page, 'rs-expnew-name', '测试');
    await change(page, 'rs-expnew-vvalue-0', '0.1');
    await change(page, 'rs-expnew-vvalue-1', '0.3');
    await tap(page, 'rs-expnew-submit', '.van-button');
    expect(texts(page, TAG, 'rs-expnew__form-error')).toEqual(['只有商家所有者可以创建实验']);
    expect(redirect).not.toHaveBeenCalled();
    expect(page.instance.data.submitting).toBe(false);
  });
});
