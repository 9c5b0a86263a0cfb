/**
 * The orders port over the cloud database. An order's creation (its cart, the offer's reserved
 * units, the buyer's units, the order) and its closing (the order and both releases) are each a
 * database transaction: the service commits all of it or none, and a concurrent writer of any of
 * those documents makes the transaction run again (optimistic, as runTransaction does), so stock
 * is never oversold nor lost. Other state changes are conditional updates on the order's state.
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
import { COLLECTIONS } from './collections';
import { docId, MAX_GET, scalar, settle, type Database } from './sdk';

export const ORDERS = COLLECTIONS.orders.name;
export const CARTS = COLLECTIONS.orderCarts.name;
const RESERVED = COLLECTIONS.offerReserved.name;
export const BOUGHT = COLLECTIONS.offerBought.name;

/** States an open cart may be in: a repeated create answers the order (a held one too). */
const OPEN: readonly OrderState[] = ['created', 'paying', 'held'];

/** The slice of a transaction the adapter uses (wx-server-sdk types it loosely). */
interface TxDoc {
  get(): Promise<{ data: unknown }>;
  set(opts: { data: object }): Promise<unknown>;
}
interface Tx {
  collection(name: string): { doc(id: string): TxDoc };
}

type Stored = Order & { _id: string };

const strip = (d: Stored): Order => {
  const { _id, ...order } = d;
  void _id;
  return order;
};

/** A document read inside a transaction, or null when there is none. */
async function read<T>(tx: Tx, collection: string, id: string): Promise<T | null> {
  let res: { data: unknown };
  try {
    res = await tx.collection(collection).doc(id).get();
  } catch (err) {
    // wx-server-sdk turns an empty answer into "document.get:fail … does not exist".
    if (/does not exist/.test(String((err as { errMsg?: unknown } | null)?.errMsg ?? err)))
      return null;
    throw err;
  }
  const data = res.data as T | T[] | null | undefined;
  if (Array.isArray(data)) return (data[0] as T | undefined) ?? null;
  return data ?? null;
}

export class CloudOrders implements Orders {
  constructor(private readonly db: Database) {}

  private run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const run = (this.db as unknown as { runTransaction(cb: (tx: Tx) => Promise<T>): Promise<T> })
      .runTransaction;
    return run.call(this.db, fn);
  }

  async create(order: Order, limits: ReserveLimits): Promise<CreateOutcome> {
    scalar(order.outTradeNo, 'outTradeNo');
    const cartId = docId(scalar(order.cartKey, 'cartKey'));
    const reservedId = docId(scalar(order.campaignId, 'campaignId'));
    const boughtId = docId(order.campaignId, scalar(order.openid, 'openid'));
    return this.run(async (tx): Promise<CreateOutcome> => {
      const cart = await read<{ outTradeNo: string }>(tx, CARTS, cartId);
      if (cart) {
        const open = await read<Stored>(tx, ORDERS, cart.outTradeNo);
        if (open && OPEN.includes(open.state) && open.expiresAt > order.createdAt)
          return { kind: 'existing', order: strip(open) };
      }
      const reserved = (await read<{ units: number }>(tx, RESERVED, reservedId))?.units ?? 0;
      if (reserved + order.quantity > limits.stock)
        return { kind: 'sold_out', left: Math.max(0, limits.stock - reserved) };
      const bought = (await read<{ units: number }>(tx, BOUGHT, boughtId))?.units ?? 0;
      if (bought + order.quantity > limits.perUserLimit) return { kind: 'over_limit', bought };
      await tx
        .collection(RESERVED)
        .doc(reservedId)
        .set({ data: { campaignId: order.campaignId, units: reserved + order.quantity } });
      await tx
        .collection(BOUGHT)
        .doc(boughtId)
        .set({
          data: {
            campaignId: order.campaignId,
            openid: order.openid,
            units: bought + order.quantity,
          },
        });
      await tx
        .collection(CARTS)
        .doc(cartId)
        .set({ data: { openid: order.openid, outTradeNo: order.outTradeNo } });
      await tx
        .collection(ORDERS)
        .doc(order.outTradeNo)
        .set({ data: { ...order } });
      return { kind: 'created', order };
    });
  }

  async get(outTradeNo: string): Promise<Order | null> {
    const res = await settle(
      this.db
        .collection(ORDERS)
        .where({ _id: scalar(outTradeNo, 'outTradeNo') })
        .limit(1)
        .get(),
    );
    const doc = (res.data as Stored[])[0];
    return doc ? strip(doc) : null;
  }

  async transition(
    outTradeNo: string,
    from: readonly OrderState[],
    to: OrderState,
    patch: Partial<Order>,
    at: number,
  ): Promise<Order | null> {
    scalar(outTradeNo, 'outTradeNo');
    if (to === 'closed') return this.close(outTradeNo, from, patch, at);
    const _ = this.db.command;
    // A conditional update is atomic per document: of two notifies racing, one matches.
    const res = await settle(
      this.db
        .collection(ORDERS)
        .where({ _id: outTradeNo, state: _.in([...from]) })
        .update({ data: { ...patch, state: to, updatedAt: at } }),
    );
    if (res.stats.updated !== 1) return null;
    return this.get(outTradeNo);
  }

  /** Closing releases the reservation: the order and both counts in one transaction. */
  private close(
    outTradeNo: string,
    from: readonly OrderState[],
    patch: Partial<Order>,
    at: number,
  ): Promise<Order | null> {
    return this.run(async (tx) => {
      const current = await read<Stored>(tx, ORDERS, outTradeNo);
      if (!current || !from.includes(current.state)) return null;
      const next: Order = { ...strip(current), ...patch, state: 'closed', updatedAt: at };
      const reservedId = docId(current.campaignId);
      const boughtId = docId(current.campaignId, current.openid);
      const reserved = (await read<{ units: number }>(tx, RESERVED, reservedId))?.units ?? 0;
      const bought = (await read<{ units: number }>(tx, BOUGHT, boughtId))?.units ?? 0;
      await tx.collection(ORDERS).doc(outTradeNo).set({ data: next });
      await tx
        .collection(RESERVED)
        .doc(reservedId)
        .set({
          data: {
            campaignId: current.campaignId,
            units: Math.max(0, reserved - current.quantity),
          },
        });
      await tx
        .collection(BOUGHT)
        .doc(boughtId)
        .set({
          data: {
            campaignId: current.campaignId,
            openid: current.openid,
            units: Math.max(0, bought - current.quantity),
          },
        });
      return next;
    });
  }

  async inState(state: OrderState, before: number, limit: number): Promise<Order[]> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(ORDERS)
        .where({ state: scalar(state, 'state'), updatedAt: _.lt(scalar(before, 'before')) })
        .orderBy('updatedAt', 'asc')
        .orderBy('_id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Stored[]).map(strip);
  }

  async paidForCampaign(
    campaignId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<Order[]> {
    const _ = this.db.command;
    const where = {
      campaignId: scalar(campaignId, 'campaignId'),
      paidAt: _.and(_.gte(scalar(from, 'from')), _.lt(scalar(before, 'before'))),
    };
    return this.byTime(where, 'paidAt', limit);
  }

  async refundedForCampaign(
    campaignId: string,
    from: number,
    before: number,
    limit: number,
  ): Promise<Order[]> {
    const _ = this.db.command;
    const where = {
      campaignId: scalar(campaignId, 'campaignId'),
      state: 'refunded',
      refundedAt: _.and(_.gte(scalar(from, 'from')), _.lt(scalar(before, 'before'))),
    };
    return this.byTime(where, 'refundedAt', limit);
  }

  async paidAfter(after: PaidCursor | null, before: number, limit: number): Promise<Order[]> {
    return this.after(
      'paidAt',
      after && { at: after.paidAt, outTradeNo: after.outTradeNo },
      before,
      limit,
    );
  }

  async refundedAfter(after: RefundCursor | null, before: number, limit: number): Promise<Order[]> {
    return this.after(
      'refundedAt',
      after && { at: after.refundedAt, outTradeNo: after.outTradeNo },
      before,
      limit,
      { state: 'refunded' },
    );
  }

  /**
   * Orders by `field` (paid or refund time) then id, after a cursor and before `before`: the
   * keyset paging the train steps read pays and refunds with (`_id` is the out_trade_no).
   */
  private after(
    field: 'paidAt' | 'refundedAt',
    after: { at: number; outTradeNo: string } | null,
    before: number,
    limit: number,
    where: Record<string, unknown> = {},
  ): Promise<Order[]> {
    const _ = this.db.command;
    const upper = { [field]: _.lt(scalar(before, 'before')), ...where };
    const cond = after
      ? _.and([
          upper,
          _.or([
            { [field]: _.gt(scalar(after.at, field)) },
            { [field]: after.at, _id: _.gt(scalar(after.outTradeNo, 'outTradeNo')) },
          ]),
        ])
      : upper;
    return this.byTime(cond, field, limit);
  }

  /** The orders matching `cond` in `field` then id order, at most `limit` (and get()'s cap). */
  private async byTime(
    cond: object,
    field: 'paidAt' | 'refundedAt',
    limit: number,
  ): Promise<Order[]> {
    const res = await settle(
      this.db
        .collection(ORDERS)
        .where(cond)
        .orderBy(field, 'asc')
        .orderBy('_id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Stored[]).map(strip);
  }

  async ofBuyer(openid: string, since: number, limit: number): Promise<Order[]> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(ORDERS)
        .where({ openid: scalar(openid, 'openid'), createdAt: _.gte(scalar(since, 'since')) })
        .orderBy('createdAt', 'desc')
        .orderBy('_id', 'desc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Stored[]).map(strip);
  }

  async heldForMerchant(merchantId: string, limit: number): Promise<Order[]> {
    const res = await settle(
      this.db
        .collection(ORDERS)
        .where({ merchantId: scalar(merchantId, 'merchantId'), state: 'held' })
        .orderBy('updatedAt', 'asc')
        .orderBy('_id', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as Stored[]).map(strip);
  }

  async reserved(campaignId: string): Promise<number> {
    const res = await settle(
      this.db
        .collection(RESERVED)
        .where({ _id: docId(scalar(campaignId, 'campaignId')) })
        .limit(1)
        .get(),
    );
    return (res.data as { units: number }[])[0]?.units ?? 0;
  }
}
