/**
 * The Me page's merchant entry in miniprogram-simulate with real @vant/weapp cells: 商家中心 for
 * members and platform admins, 商家入驻 for everyone else, nothing when `merchant` me fails; and
 * where a tap leads. Also checked inside the Me page itself.
 */
import * as simulate from 'miniprogram-simulate';
import type { AccountResponse, FunctionMap, FunctionName } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import entryJson from '../../../miniprogram/pages/me/merchant-entry/index.json';
import pageJson from '../../../miniprogram/pages/me/index.json';
import { loadWithVant } from '../helpers/vant';
import {
  meAdmin,
  meGuest,
  meOwner,
  settle,
  stubMerchant,
  texts,
} from '../merchant/campaign-fixtures';

type AnyObject = WechatMiniprogram.IAnyObject;
type Rendered = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: { data: AnyObject };
};

let entryId: string;

beforeAll(() => {
  entryId = loadWithVant(
    'pages/me/merchant-entry/index',
    'merchant-entry',
    entryJson.usingComponents,
  );
});

afterEach(() => {
  setApi(null);
  jest.restoreAllMocks();
});

async function open(): Promise<Rendered> {
  const c = simulate.render(entryId) as unknown as Rendered;
  c.attach(document.createElement('parent-wrapper'));
  await settle();
  return c;
}

const dom = (c: Rendered): HTMLElement => c.dom as HTMLElement;
const titles = (c: Rendered): string[] => texts(dom(c), 'van-cell', 'van-cell__title');

async function tapCell(c: Rendered): Promise<void> {
  c.querySelector('#rs-mentry-cell')!.querySelector('.van-cell')!.dispatchEvent('tap');
  await settle();
}

describe('merchant entry on the Me page', () => {
  it("shows 商家中心 to a member, with the merchant's name, and opens the merchant home", async () => {
    const calls = stubMerchant({ me: meOwner });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const c = await open();
    expect(calls).toEqual([{ action: 'me' }]);
    expect(titles(c)).toEqual(['商家中心']);
    expect(dom(c).textContent).toContain('川味火锅 · 广告计划与数据报表');
    await tapCell(c);
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/home/index' }),
    );
  });

  it('shows 商家中心 to a platform admin without a merchant', async () => {
    stubMerchant({ me: meAdmin });
    const c = await open();
    expect(titles(c)).toEqual(['商家中心']);
    expect(dom(c).textContent).toContain('平台管理：商家与邀请码');
  });

  it('offers everyone else the invitation code instead of the merchant pages', async () => {
    stubMerchant({ me: meGuest });
    const navigate = jest.spyOn(wx, 'navigateTo');
    const c = await open();
    expect(titles(c)).toEqual(['商家入驻（邀请码）']);
    await tapCell(c);
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/merchant/pages/invite/index' }),
    );
  });

  it('shows nothing when `me` cannot be asked', async () => {
    stubMerchant({ me: new ApiError('NETWORK', '网络连接失败，请检查网络后重试') });
    const c = await open();
    expect(titles(c)).toEqual([]);
    expect(dom(c).textContent?.trim()).toBe('');
  });

  it('is placed on the Me page', async () => {
    const client = {
      async call<N extends FunctionName>(
        name: N,
        req: FunctionMap[N]['req'],
      ): Promise<FunctionMap[N]['res']> {
        if (name === 'merchant') return meOwner as FunctionMap[N]['res'];
        if (name === 'account' && (req as { action: string }).action === 'profile.get') {
          const profile: AccountResponse = {
            action: 'profile.get',
            profile: { interests: [], eventCounts: {}, experiments: [], personalized: true },
          };
          return profile as FunctionMap[N]['res'];
        }
        throw new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试');
      },
    };
    setApi(client);
    const pageId = loadWithVant('pages/me/index', 'me-page', pageJson.usingComponents, {
      'rs-merchant-entry': entryId,
    });
    const page = simulate.render(pageId) as unknown as Rendered & {
      instance: { onLoad(): Promise<void> };
    };
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad();
    await settle();
    expect(texts(dom(page), 'van-cell', 'van-cell__title')).toContain('商家中心');
  });
});
