/** The local host's customer-service channel: messages are kept in an outbox table (what the cloud would send through WeChat), newest last. */
import type { CustomerServiceChannel, OutgoingMessage } from '../../ports/customer-service';
import type { Db } from './db';
import { prepared } from './statements';

export class SqliteCustomerService implements CustomerServiceChannel {
  constructor(private readonly db: Db) {}

  async send(openid: string, message: OutgoingMessage): Promise<void> {
    prepared(this.db, 'INSERT INTO cs_outbox (openid, doc) VALUES (?, ?)').run(
      openid,
      JSON.stringify(message),
    );
  }

  /** The user's messages, oldest first (the local simulation reads them back). */
  async outbox(openid: string, limit = 100): Promise<OutgoingMessage[]> {
    const rows = prepared(
      this.db,
      'SELECT doc FROM cs_outbox WHERE openid = ? ORDER BY seq DESC LIMIT ?',
    ).all(openid, limit) as { doc: string }[];
    return rows.reverse().map((r) => JSON.parse(r.doc) as OutgoingMessage);
  }
}
