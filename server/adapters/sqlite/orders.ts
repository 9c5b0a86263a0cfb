/**
 * The orders port over SQLite: an order's creation with its stock and per-user reservation, and
 * every state change with what it releases, are each one transaction.
 */
import type {
  CreateOutcome,
  Order,
  Orders,
  OrderState,
  PaidCursor,
  RefundCursor,
  ReserveLimits,
} from '../../ports/orders';
import type { Db } from './db';
import { placeholders, prepared } from './statements';
import { failpoint } from '../failpoints';

/** States an open cart may be in: a repeated create answers the order (a held one too). */
const OPEN: readonly OrderState[] = ['created', 'paying', 'held'];

export class SqliteOrders implements Orders {
  private readonly doCreate: (order: Order, limits: ReserveLimits) => CreateOutcome;
  private readonly doTransition: (
    no: string,
    from: readonly OrderState[],
    to: OrderState,
    patch: Partial<Order>,
    at: number,
  ) => Order | null;

  constructor(private readonly db: Db) {
    this.doCreate = db.transaction((order: Order, limits: ReserveLimits): CreateOutcome => {
      const open = prepared(
        db,
        `SELECT doc FROM orders WHERE cart_key = ? AND state IN (${placeholders(OPEN.length)})
        AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`,
      ).get(order.cartKey, ...OPEN, order.createdAt) as { doc: string } | undefined;
      if (open) return { kind: 'existing', order: JSON.parse(open.doc) as Order };
      const reserved = this.reservedNow(order.campaignId);
      if (reserved + order.quantity > limits.stock)
        return { kind: 'sold_out', left: Math.max(0, limits.stock - reserved) };
      const bought =
        (
          prepared(db, 'SELECT units FROM offer_bought WHERE campaign_id = ? AND openid = ?').get(
            order.campaignId,
            order.openid,
          ) as { units: number } | undefined
        )?.units ?? 0;
      if (bought + order.quantity > limits.perUserLimit) return { kind: 'over_limit', bought };
      this.add(order.campaignId, order.openid, order.quantity);
      prepared(
        db,
        `INSERT INTO orders (out_trade_no, openid, campaign_id, cart_key, state, expires_at, updated_at, paid_at, doc)
        VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
      ).run(
        order.outTradeNo,
        order.openid,
        order.campaignId,
        order.cartKey,
        order.state,
        order.expiresAt,
        order.updatedAt,
        JSON.stringify(order),
      );
      return { kind: 'created', order };
    });
    this.doTransition = db.transaction(
      (
        no: string,
        from: readonly OrderState[],
        to: OrderState,
        patch: Partial<Order>,
        at: number,
      ) => {
        const row = prepared(db, 'SELECT doc FROM orders WHERE out_trade_no = ?').get(no) as
          { doc: string } | undefined;
        if (!row) return null;
        const current = JSON.parse(row.doc) as Order;
        if (!from.includes(current.state)) return null;
        const next: Order = { ...current, ...patch, state: to, updatedAt: at };
        prepared(
          db,
          'UPDATE orders SET state = ?, updated_at = ?, paid_at = ?, doc = ? WHERE out_trade_no = ?',
        ).run(to, at, next.paidAt ?? null, JSON.stringify(next), no);
        if (to === 'closed') this.add(current.campaignId, current.openid, -current.quantity);
        return next;
      },
    );
  }

  /** Adds (or with a negative count, releases) units of an offer and of one buyer. */
  private add(campaignId: string, openid: string, units: number): void {
    prepared(
      this.db,
      `INSERT INTO offer_reserved (campaign_id, units) VALUES (?, ?)
      ON CONFLICT (campaign_id) DO UPDATE SET units = units + excluded.units`,
    ).run(campaignId, units);
    prepared(
      this.db,
      `INSERT INTO offer_bought (campaign_id, openid, units) VALUES (?, ?, ?)
      ON CONFLICT (campaign_id, openid) DO UPDATE SET units = units + excluded.units`,
    ).run(campaignId, openid, units);
  }

  private reservedNow(campaignId: string): number {
    const r = prepared(this.db, 'SELECT units FROM offer_reserved WHERE campaign_id = ?').get(
      campaignId,
    ) as { units: number } | undefined;
    return r?.units ?? 0;
  }

  async create(order: Order, limits: ReserveLimits): Promise<CreateOutcome> {
    return this.doCreate(order, limits);
  }

  async get(outTradeNo: string): Promise<Order | null> {
    const row = prepared(this.db, 'SELECT doc FROM orders WHERE out_trade_no = ?').get(
      outTradeNo,
    ) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Order) : null;
  }

  async transition(
    outTradeNo: string,
    from: readonly OrderState[],
    to: OrderState,
    patch: Partial<Order>,
    at: number,
  ): Promise<Order | null> {
    // Named per target state too, so a test can stop the process as an order becomes paid.
    await failpoint('sqlite.orders.transition');
    await failpoint(`sqlite.orders.transition.${to}`);
    return this.doTransition(outTradeNo, from, to, patch, at);
  }

  async inState(state: OrderState, before: number, limit: number): Promise<Order[]> {
    const rows = prepared(
      this.db,
      'SELECT doc FROM orders WHERE state = ? AND updated_at < ? ORDER BY updated_at, out_trade_no LIMIT ?',
    ).all(state, before, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async paidForCampaign(
    campaignId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<Order[]> {
    const rows = prepared(
      this.db,
      `SELECT doc FROM orders WHERE campaign_id = ? AND paid_at >= ? AND paid_at < ?
      ORDER BY paid_at, out_trade_no LIMIT ?`,
    ).all(campaignId, from, before, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async refundedForCampaign(
    campaignId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<Order[]> {
    // The expressions are those of migration 28's partial index (campaign, confirmation time).
    const rows = prepared(
      this.db,
      `SELECT doc FROM orders WHERE campaign_id = ? AND json_extract(doc, '$.refundedAt') IS NOT NULL
      AND json_extract(doc, '$.refundedAt') >= ? AND json_extract(doc, '$.refundedAt') < ?
      AND state = 'refunded'
      ORDER BY json_extract(doc, '$.refundedAt'), out_trade_no LIMIT ?`,
    ).all(campaignId, from, before, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async paidAfter(after: PaidCursor | null, before: number, limit: number): Promise<Order[]> {
    const rows = prepared(
      this.db,
      `SELECT doc FROM orders WHERE paid_at IS NOT NULL AND paid_at < ?
      AND (paid_at > ? OR (paid_at = ? AND out_trade_no > ?))
      ORDER BY paid_at, out_trade_no LIMIT ?`,
    ).all(before, after?.paidAt ?? -1, after?.paidAt ?? -1, after?.outTradeNo ?? '', limit) as {
      doc: string;
    }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async refundedAfter(after: RefundCursor | null, before: number, limit: number): Promise<Order[]> {
    // The expression is the one migration 27's partial index is on, and the cursor a row value,
    // so the index serves the filter and the order (no sort).
    const rows = prepared(
      this.db,
      `SELECT doc FROM orders WHERE json_extract(doc, '$.refundedAt') IS NOT NULL
      AND state = 'refunded' AND json_extract(doc, '$.refundedAt') < ?
      AND (json_extract(doc, '$.refundedAt'), out_trade_no) > (?, ?)
      ORDER BY json_extract(doc, '$.refundedAt'), out_trade_no LIMIT ?`,
    ).all(before, after?.refundedAt ?? -1, after?.outTradeNo ?? '', limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async ofBuyer(openid: string, since: number, limit: number): Promise<Order[]> {
    // A buyer's orders are few: the openid index finds them, the JSON field filters and sorts.
    const rows = prepared(
      this.db,
      `SELECT doc FROM orders WHERE openid = ? AND json_extract(doc, '$.createdAt') >= ?
      ORDER BY json_extract(doc, '$.createdAt') DESC, out_trade_no DESC LIMIT ?`,
    ).all(openid, since, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async heldForMerchant(merchantId: string, limit: number): Promise<Order[]> {
    const rows = prepared(
      this.db,
      `SELECT doc FROM orders WHERE state = 'held' AND json_extract(doc, '$.merchantId') = ?
      ORDER BY updated_at, out_trade_no LIMIT ?`,
    ).all(merchantId, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Order);
  }

  async reserved(campaignId: string): Promise<number> {
    return this.reservedNow(campaignId);
  }
}
