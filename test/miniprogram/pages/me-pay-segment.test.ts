/**
 * The Me page's 我的消费 section in miniprogram-simulate with real @vant/weapp components: the
 * buyer segment the page's profile.get answered (label, orders, amount, recency), or 尚未购买.
 */
import * as simulate from 'miniprogram-simulate';
import { paymentsDetail } from '../../../miniprogram/pages/me/pay-segment/view';
import sectionJson from '../../../miniprogram/pages/me/pay-segment/index.json';
import pageJson from '../../../miniprogram/pages/me/index.json';
import { loadWithVant } from '../helpers/vant';

type AnyObject = WechatMiniprogram.IAnyObject;

const PAYMENTS = {
  segment: 'loyal',
  segmentLabel: '忠实客户',
  orders: 3,
  monetaryFen: 12_800,
  recencyDays: 5,
  asOf: 1,
};

let sectionId: string;
beforeAll(() => {
  sectionId = loadWithVant(
    'pages/me/pay-segment/index',
    'rs-pay-segment',
    sectionJson.usingComponents,
  );
});

function render(payments: AnyObject | null, purchase: AnyObject | null = null) {
  const s = simulate.render(sectionId, { payments, purchase });
  s.attach(document.createElement('parent-wrapper'));
  return s;
}
const text = (s: { dom: unknown }): string => (s.dom as HTMLElement).textContent ?? '';

describe('我的消费 section', () => {
  it('is a section of the Me page', () => {
    expect(pageJson.usingComponents).toHaveProperty('rs-pay-segment', './pay-segment/index');
  });

  it('shows the segment label with orders, amount and recency', async () => {
    const s = render(PAYMENTS);
    await simulate.sleep(0);
    expect(text(s)).toContain('我的消费');
    expect(text(s)).toContain('忠实客户');
    expect(text(s)).toContain('近 180 天 3 笔 · ¥128.00 · 最近一次 5 天前');
    expect(text(s)).toContain('退款已扣除');
  });

  it('shows the purchase-propensity rank likely-buyers ads read, and nothing without one', async () => {
    const s = render(PAYMENTS, { p: 0.42, topShare: 0.13, horizonDays: 30, asOf: 1 });
    await simulate.sleep(0);
    expect(text(s)).toContain('近 30 天购买倾向排在前 13%，“可能购买的人群”广告据此投放');
    const none = render(PAYMENTS);
    await simulate.sleep(0);
    expect(none.querySelector('#rs-pay-segment-purchase')).toBeFalsy();
  });

  it('says 尚未购买 without payments, and follows the page’s later answer', async () => {
    const s = render(null);
    await simulate.sleep(0);
    expect(text(s)).toContain('尚未购买');
    s.setData({ payments: { ...PAYMENTS, segmentLabel: '新客户', orders: 1, recencyDays: 0 } });
    await simulate.sleep(0);
    expect(text(s)).toContain('新客户');
    expect(text(s)).toContain('最近一次 今天');
  });

  it('formats the detail line', () => {
    expect(paymentsDetail({ ...PAYMENTS, recencyDays: null, monetaryFen: 0 })).toBe(
      '近 180 天 3 笔 · ¥0.00',
    );
  });
});
