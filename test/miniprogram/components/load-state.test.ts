/**
 * components/load-state in miniprogram-simulate with real @vant/weapp: one state per status, the
 * not-found fallback text, nothing for a page's own states, and `retry` from 重新加载 / 重试.
 */
import * as simulate from 'miniprogram-simulate';
import stateJson from '../../../miniprogram/components/load-state/index.json';
import { loadWithVant } from '../helpers/vant';
import { texts } from '../helpers/texts';
import { retryButton } from '../helpers/load-state';

type AnyObject = WechatMiniprogram.IAnyObject;
type Rendered = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

let hostId: simulate.ComponentId<AnyObject, AnyObject, AnyObject>;
let retries = 0;

beforeAll(() => {
  const stateId = loadWithVant('components/load-state/index', 'rs-load-state', {
    ...stateJson.usingComponents,
  });
  hostId = simulate.load({
    template: `<rs-load-state id="rs-page-state" status="{{status}}" message="{{message}}" missing-text="{{missingText}}" bind:retry="onRetry" />`,
    usingComponents: { 'rs-load-state': stateId },
    data: { status: 'loading', message: '', missingText: '' },
    methods: {
      onRetry() {
        retries += 1;
      },
    },
  });
});

function render(data: Record<string, string>): Rendered {
  const host = simulate.render(hostId);
  host.attach(document.createElement('parent-wrapper'));
  host.setData(data);
  return host;
}

const descriptions = (c: Rendered): string[] => texts(c, 'van-empty', 'van-empty__description');
const buttons = (c: Rendered): string[] => texts(c, 'van-button', 'van-button__text');

describe('load-state component', () => {
  it('loading: vant’s spinner with 加载中…, no empty state, no button', () => {
    const c = render({ status: 'loading' });
    expect(texts(c, 'van-loading', 'van-loading__text')).toEqual(['加载中…']);
    expect(descriptions(c)).toEqual([]);
    expect(buttons(c)).toEqual([]);
  });

  it('missing: the server’s words, or the page’s fallback when it gave none; no retry', () => {
    const c = render({ status: 'missing', message: '', missingText: '内容不存在或已下架' });
    expect(descriptions(c)).toEqual(['内容不存在或已下架']);
    c.setData({ message: '该内容已被作者删除' });
    expect(descriptions(c)).toEqual(['该内容已被作者删除']);
    expect(retryButton(c)).toBeFalsy();
  });

  it('error: the message and 重新加载, whose tap emits retry once', async () => {
    retries = 0;
    const c = render({ status: 'error', message: '服务暂时不可用' });
    expect(descriptions(c)).toEqual(['服务暂时不可用']);
    expect(buttons(c)).toEqual(['重新加载']);
    retryButton(c)?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(retries).toBe(1);
  });

  it('offline: the network state and 重试, which emits retry too', async () => {
    retries = 0;
    const c = render({ status: 'offline', message: '网络连接失败' });
    expect(descriptions(c)).toEqual(['网络不可用，请检查网络设置']);
    expect(buttons(c)).toEqual(['重试']);
    retryButton(c)?.dispatchEvent('tap');
    await simulate.sleep(0);
    expect(retries).toBe(1);
  });

  it("renders nothing for a page's own states", () => {
    for (const status of ['ready', 'empty', 'guest']) {
      const c = render({ status, message: '不该显示' });
      expect((c.dom as HTMLElement).textContent?.trim()).toBe('');
    }
  });
});
