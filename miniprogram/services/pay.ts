/**
 * Paying with WeChat Pay from a page: the payment sheet, then the order as the server knows it.
 * wx.requestPayment's success is never taken as payment (the server hears it from WeChat Pay).
 */
import type { OrderView, PaymentParams } from '../../typings';
import { callAction } from './api';

/** FNV-1a (32-bit) of a string, as 8 hex digits. */
function fnv1a(s: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * `{ device }`: a digest of the phone's brand, model, system and platform for the payment risk
 * check (a new phone paying far more than usual); not an identifier of the person, and empty
 * when the API is missing.
 */
export function deviceDigest(): { device?: string } {
  const w = wx as unknown as {
    getDeviceInfo?(): { brand?: string; model?: string; system?: string; platform?: string };
  };
  const info = w.getDeviceInfo?.();
  if (!info) return {};
  const s = [info.brand, info.model, info.system, info.platform].map((x) => x ?? '').join('|');
  return { device: fnv1a(s, 0x811c9dc5) + fnv1a(s, 0x050c5d1f) };
}

/** Waits before each order.get after paying: WeChat's notify usually lands within a second or two. */
export const PAY_POLL_DELAYS_MS = [0, 500, 1000, 1500, 2000];

/**
 * Shows WeChat's payment sheet; true when the buyer cancelled. Its success is not payment: the
 * order is asked afterwards either way.
 */
export function requestPayment(p: PaymentParams): Promise<boolean> {
  return new Promise((resolve) => {
    wx.requestPayment({
      timeStamp: p.timeStamp,
      nonceStr: p.nonceStr,
      package: p.package,
      signType: p.signType as 'MD5',
      paySign: p.paySign,
      success: () => resolve(false),
      fail: (e) => resolve(/cancel/.test(e.errMsg)),
    });
  });
}

/** The order as the server knows it, asked until it leaves paying or the polls run out. */
export async function settleOrder(outTradeNo: string): Promise<OrderView> {
  let order: OrderView | null = null;
  for (const wait of PAY_POLL_DELAYS_MS) {
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const res = await callAction('pay', { action: 'order.get', outTradeNo });
    order = res.order;
    if (order.state !== 'paying' && order.state !== 'created') break;
  }
  return order!;
}
