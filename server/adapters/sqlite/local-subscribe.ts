/**
 * LOCAL ONLY: the local host's stand-in for WeChat's subscribeMessage.send, which cannot be
 * reached from here. It refuses as WeChat does (server/adapters/subscribe-sim.ts: 40037 for a
 * template the configuration does not name, 47003 for data that does not fit its fields) and
 * keeps what WeChat would deliver in an outbox table, newest last. The user's quota is the one
 * our Subscriptions store keeps (the device's real one lives in WeChat).
 */
import type { Config } from '../../config';
import {
  SubscribeMessageError,
  type SubscribeMessage,
  type SubscribeMessenger,
} from '../../ports/subscribe-messages';
import { TEMPLATE_FIELDS } from '../../ports/subscriptions';
import { misfit } from '../subscribe-sim';
import type { Db } from './db';
import { prepared } from './statements';

export class LocalSubscribeMessages implements SubscribeMessenger {
  constructor(
    private readonly db: Db,
    /** The account's templates (the configured ones); tests set them as a deployment would. */
    public templates: Config['subscribeTemplates'] = {
      reply: '',
      budget: '',
      ending: '',
    },
  ) {}

  async send(message: SubscribeMessage): Promise<void> {
    const topic = (Object.keys(TEMPLATE_FIELDS) as (keyof typeof TEMPLATE_FIELDS)[]).find(
      (t) => this.templates[t] !== '' && this.templates[t] === message.templateId,
    );
    if (!topic) throw new SubscribeMessageError(40037, 'invalid template_id');
    const bad = misfit(TEMPLATE_FIELDS[topic], message.data);
    if (bad) throw new SubscribeMessageError(47003, `argument invalid! ${bad}`);
    prepared(this.db, 'INSERT INTO subscribe_outbox (openid, doc) VALUES (?, ?)').run(
      message.touser,
      JSON.stringify(message),
    );
  }

  /** What would have been delivered to the user, oldest first. */
  async outbox(openid: string, limit = 100): Promise<SubscribeMessage[]> {
    const rows = prepared(
      this.db,
      'SELECT doc FROM subscribe_outbox WHERE openid = ? ORDER BY seq DESC LIMIT ?',
    ).all(openid, limit) as { doc: string }[];
    return rows.reverse().map((r) => JSON.parse(r.doc) as SubscribeMessage);
  }
}
