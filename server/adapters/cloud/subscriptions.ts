/**
 * Subscriptions over the cloud database (a quota document per (user, template), a send document
 * per (user, send key), _ids hashed from both), and the cloud's subscription messages through
 * WeChat's open API (cloud.openapi.subscribeMessage.send, listed under the sending function's
 * permissions.openapi). `take` decrements first (a conditional update, atomic per document) and
 * then records the send; a concurrent take of the same key that loses gives its quota back.
 */
import {
  SubscribeMessageError,
  type SubscribeMessage,
  type SubscribeMessenger,
} from '../../ports/subscribe-messages';
import { MAX_QUOTA, type Subscriptions, type TakeResult } from '../../ports/subscriptions';
import { COLLECTIONS } from './collections';
import { wechatAnswer, type SendResult } from './customer-service';
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Cloud, type Database } from './sdk';

export const QUOTAS = COLLECTIONS.subscriptionQuotas.name;
export const SENDS = COLLECTIONS.subscriptionSends.name;

interface QuotaDoc {
  _id: string;
  openid: string;
  templateId: string;
  quota: number;
}

interface SendDoc {
  _id: string;
  openid: string;
  key: string;
  templateId: string;
  at: number;
  outcome: string | null;
}

export class CloudSubscriptions implements Subscriptions {
  constructor(private readonly db: Database) {}

  private async bump(openid: string, templateId: string, by: 1 | -1): Promise<boolean> {
    const _ = this.db.command;
    const _id = docId(scalar(openid, 'openid'), scalar(templateId, 'template id'));
    const res = await settle(
      this.db
        .collection(QUOTAS)
        .where({ _id, quota: by > 0 ? _.lt(MAX_QUOTA) : _.gt(0) })
        .update({ data: { quota: _.inc(by) } }),
    );
    return res.stats.updated > 0;
  }

  async grant(openid: string, templateIds: string[], _at: number): Promise<Record<string, number>> {
    const ids = [...new Set(templateIds)];
    for (const templateId of ids) {
      if (await this.bump(openid, templateId, 1)) continue;
      try {
        await settle(
          this.db.collection(QUOTAS).add({
            data: { _id: docId(openid, templateId), openid, templateId, quota: 1 },
          }),
        );
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        await this.bump(openid, templateId, 1); // created concurrently (or at the cap: no change)
      }
    }
    const all = await this.quotas(openid);
    return Object.fromEntries(ids.map((id) => [id, all[id] ?? 0]));
  }

  async quotas(openid: string): Promise<Record<string, number>> {
    const res = await settle(
      this.db
        .collection(QUOTAS)
        .where({ openid: scalar(openid, 'openid') })
        .limit(MAX_GET)
        .get(),
    );
    const docs = (res.data as QuotaDoc[])
      .filter((d) => d.quota > 0)
      .sort((a, b) => a.templateId.localeCompare(b.templateId));
    return Object.fromEntries(docs.map((d) => [d.templateId, d.quota]));
  }

  private async sendOf(openid: string, key: string): Promise<SendDoc | null> {
    const res = await settle(
      this.db
        .collection(SENDS)
        .where({ _id: docId(scalar(openid, 'openid'), scalar(key, 'key')) })
        .limit(1)
        .get(),
    );
    return (res.data as SendDoc[])[0] ?? null;
  }

  async take(openid: string, templateId: string, key: string, at: number): Promise<TakeResult> {
    const had = await this.sendOf(openid, key);
    if (had) return had.outcome === null ? 'pending' : 'done';
    if (!(await this.bump(openid, templateId, -1))) return 'none';
    try {
      await settle(
        this.db.collection(SENDS).add({
          data: { _id: docId(openid, key), openid, key, templateId, at, outcome: null },
        }),
      );
      return 'taken';
    } catch (err) {
      await this.bump(openid, templateId, 1); // not recorded: the quota goes back
      if (!isDuplicateKey(err)) throw err;
      const now = await this.sendOf(openid, key);
      return now && now.outcome !== null ? 'done' : 'pending';
    }
  }

  async finish(openid: string, key: string, outcome: string): Promise<void> {
    await settle(
      this.db
        .collection(SENDS)
        .where({ _id: docId(scalar(openid, 'openid'), scalar(key, 'key')), outcome: null })
        .update({ data: { outcome } }),
    );
  }
}

export class CloudSubscribeMessages implements SubscribeMessenger {
  constructor(private readonly cloud: Cloud) {}

  async send(message: SubscribeMessage): Promise<void> {
    const api = (this.cloud as unknown as { openapi: Record<string, Record<string, unknown>> })
      .openapi;
    const send = api.subscribeMessage.send as (o: unknown) => Promise<SendResult>;
    let res: SendResult;
    try {
      res = await send({
        touser: message.touser,
        templateId: message.templateId,
        page: message.page,
        data: message.data,
        miniprogramState: 'formal',
      });
    } catch (err) {
      const e = err as { errCode?: number; errMsg?: string };
      throw new SubscribeMessageError(e.errCode ?? -1, e.errMsg ?? String(err));
    }
    const answer = wechatAnswer(res);
    if (answer.errcode !== 0) throw new SubscribeMessageError(answer.errcode, answer.errmsg);
  }
}
