/**
 * LOCAL ONLY: the local host's stand-in for WeChat Pay, which cannot be reached from here. It
 * has the contract of cloud payments — unifiedOrder answers a payment object, queryOrder,
 * closeOrder, refund, and results arrive later by notify — with WeChat's rules and refusals
 * (server/adapters/wechat-pay-sim.ts), its trades kept in the local database so every host
 * worker sees them. The buyer's "payment" is `userPays` (the host's /local-pay/pay endpoint):
 * the notify then comes asynchronously, after a delay, possibly more than once, and is retried
 * while the notify handler does not answer errcode 0, as WeChat does.
 */
import type { PaymentParams } from '../../../typings';
import {
  PaymentRejected,
  type PaymentService,
  type RefundQuery,
  type RefundRequest,
  type TradeQuery,
  type UnifiedOrder,
} from '../../ports/payments';
import { WeChatPaySim, type SimTrade, type WireAnswer } from '../wechat-pay-sim';
import type { Db } from './db';
import { prepared } from './statements';

/** The sub-merchant number the local stand-in plays. */
export const LOCAL_SUB_MCH_ID = 'local-sub-mch';

/** Delivers one notify to the notify function; answers WeChat's errcode (0: received). */
export type Notifier = (payload: Record<string, unknown>) => Promise<{ errcode: number }>;

export interface LocalPayOptions {
  /** Before the first delivery of a notify, ms. */
  delayMs: number;
  /** Extra deliveries of every notify (WeChat may send one more than once). */
  duplicates: number;
  /** Deliveries while the handler fails (errcode ≠ 0 or a throw), then given up (WeChat: 2 days). */
  maxAttempts: number;
  retryMs: number;
}

export const DEFAULT_LOCAL_PAY: LocalPayOptions = {
  delayMs: 300,
  duplicates: 1,
  maxAttempts: 5,
  retryMs: 1_000,
};

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const recase = (o: WireAnswer, f: (s: string) => string): WireAnswer =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [f(k), v]));

export class LocalPay implements PaymentService {
  private readonly sim: WeChatPaySim;
  private notifier: Notifier | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private options: LocalPayOptions = DEFAULT_LOCAL_PAY;
  /** The refund notify of the latest refund asked (tests deliver it themselves). */
  lastRefundNotify: Record<string, unknown> | null = null;

  constructor(db: Db) {
    this.sim = new WeChatPaySim(
      {
        get: (no) => {
          const row = prepared(db, 'SELECT doc FROM local_pay WHERE out_trade_no = ?').get(no) as
            { doc: string } | undefined;
          return row ? (JSON.parse(row.doc) as SimTrade) : null;
        },
        put: (t) => {
          prepared(
            db,
            `INSERT INTO local_pay (out_trade_no, doc) VALUES (?, ?)
            ON CONFLICT (out_trade_no) DO UPDATE SET doc = excluded.doc`,
          ).run(t.out_trade_no, JSON.stringify(t));
        },
      },
      LOCAL_SUB_MCH_ID,
    );
  }

  /** The host wires the payNotify function here (and tests their own delivery options). */
  connect(notifier: Notifier, options: Partial<LocalPayOptions> = {}): void {
    this.notifier = notifier;
    this.options = { ...DEFAULT_LOCAL_PAY, ...options };
  }

  /** Stops pending deliveries (the host's shutdown). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private call(api: string, data: Record<string, unknown>, openid = ''): WireAnswer {
    const res = this.sim.call(
      api,
      { ...recase(data, snake), sub_mch_id: LOCAL_SUB_MCH_ID, nonce_str: 'local' },
      openid,
    );
    if (res.return_code !== 'SUCCESS')
      throw new PaymentRejected('SYSTEMERROR', String(res.return_msg));
    return recase(res, camel);
  }

  private static ok(res: WireAnswer): WireAnswer {
    if (res.resultCode !== 'SUCCESS')
      throw new PaymentRejected(String(res.errCode), String(res.errCodeDes));
    return res;
  }

  async unifiedOrder(order: UnifiedOrder): Promise<PaymentParams> {
    const res = LocalPay.ok(
      this.call(
        'unifiedOrder',
        {
          body: order.body,
          outTradeNo: order.outTradeNo,
          totalFee: order.totalFen,
          attach: order.attach,
          envId: 'local',
          functionName: 'payNotify',
        },
        order.openid,
      ),
    );
    return res.payment as PaymentParams;
  }

  async queryOrder(outTradeNo: string): Promise<TradeQuery> {
    const res = this.call('queryOrder', { outTradeNo });
    if (res.resultCode !== 'SUCCESS') return { state: 'NOTFOUND' };
    return {
      state: res.tradeState as TradeQuery['state'],
      totalFen: res.totalFee as number,
      transactionId: res.transactionId as string | undefined,
    };
  }

  async closeOrder(outTradeNo: string): Promise<void> {
    LocalPay.ok(this.call('closeOrder', { outTradeNo }));
  }

  async refund(req: RefundRequest): Promise<void> {
    LocalPay.ok(
      this.call('refund', {
        outTradeNo: req.outTradeNo,
        outRefundNo: req.outRefundNo,
        totalFee: req.totalFen,
        refundFee: req.refundFen,
      }),
    );
    const notify = this.sim.refundNotify(req.outTradeNo, req.outRefundNo);
    if (notify) this.deliver(notify);
    this.lastRefundNotify = notify;
  }

  async queryRefund(outTradeNo: string, outRefundNo: string): Promise<RefundQuery> {
    const res = this.call('queryRefund', { outTradeNo, outRefundNo });
    if (res.resultCode !== 'SUCCESS') return { state: 'NOTFOUND' };
    return {
      state: res.refundStatus_0 as RefundQuery['state'],
      refundFen: res.refundFee_0 as number,
    };
  }

  /**
   * The buyer pays on the (simulated) payment sheet; the pay notify follows asynchronously when
   * a notify handler is connected. Answers that notify, or null when the order is unknown or not
   * payable (paid, closed).
   */
  userPays(outTradeNo: string): Record<string, unknown> | null {
    const notify = this.sim.userPays(outTradeNo);
    if (notify) this.deliver(notify);
    return notify;
  }

  /** The trade as the stand-in holds it (tests and the host's local endpoint). */
  trade(outTradeNo: string): SimTrade | null {
    return this.sim.trade(outTradeNo);
  }

  private deliver(payload: Record<string, unknown>): void {
    if (!this.notifier) return; // nobody to tell (a test plays WeChat's delivery itself)
    const { delayMs, duplicates, maxAttempts, retryMs } = this.options;
    const attempt = (n: number, wait: number): void => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        const send = this.notifier
          ? this.notifier(payload)
          : Promise.reject(new Error('no notifier'));
        void send
          .then((r) => r.errcode === 0)
          .catch(() => false)
          .then((received) => {
            if (!received && n + 1 < maxAttempts) attempt(n + 1, retryMs);
          })
          .catch(() => undefined);
      }, wait);
      t.unref?.();
      this.timers.add(t);
    };
    for (let i = 0; i <= duplicates; i++) attempt(0, delayMs * (i + 1));
  }
}
