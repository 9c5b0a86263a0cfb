/** Subscriptions over SQLite: a quota row per (user, template) and a row per send; `take` is one transaction. */
import { MAX_QUOTA, type Subscriptions, type TakeResult } from '../../ports/subscriptions';
import type { Db } from './db';
import { prepared } from './statements';

export class SqliteSubscriptions implements Subscriptions {
  private readonly grantAll: (openid: string, ids: string[]) => void;
  private readonly takeOne: (
    openid: string,
    templateId: string,
    key: string,
    at: number,
  ) => TakeResult;

  constructor(private readonly db: Db) {
    const add =
      db.prepare(`INSERT INTO subscription_quotas (openid, template_id, quota) VALUES (?, ?, 1)
      ON CONFLICT (openid, template_id) DO UPDATE SET quota = MIN(quota + 1, ${MAX_QUOTA})`);
    this.grantAll = db.transaction((openid: string, ids: string[]) => {
      for (const id of ids) add.run(openid, id);
    });
    const sendOf = db.prepare(
      'SELECT outcome FROM subscription_sends WHERE openid = ? AND key = ?',
    );
    const use = db.prepare(
      'UPDATE subscription_quotas SET quota = quota - 1 WHERE openid = ? AND template_id = ? AND quota > 0',
    );
    const record = db.prepare(
      'INSERT INTO subscription_sends (openid, key, template_id, at, outcome) VALUES (?, ?, ?, ?, NULL)',
    );
    this.takeOne = db.transaction((openid: string, templateId: string, key: string, at: number) => {
      const had = sendOf.get(openid, key) as { outcome: string | null } | undefined;
      if (had) return had.outcome === null ? 'pending' : 'done';
      if (use.run(openid, templateId).changes === 0) return 'none';
      record.run(openid, key, templateId, at);
      return 'taken';
    });
  }

  async grant(openid: string, templateIds: string[], _at: number): Promise<Record<string, number>> {
    const ids = [...new Set(templateIds)];
    if (ids.length > 0) this.grantAll(openid, ids);
    const all = await this.quotas(openid);
    return Object.fromEntries(ids.map((id) => [id, all[id] ?? 0]));
  }

  async quotas(openid: string): Promise<Record<string, number>> {
    const rows = prepared(
      this.db,
      'SELECT template_id, quota FROM subscription_quotas WHERE openid = ? AND quota > 0 ORDER BY template_id',
    ).all(openid) as { template_id: string; quota: number }[];
    return Object.fromEntries(rows.map((r) => [r.template_id, r.quota]));
  }

  async take(openid: string, templateId: string, key: string, at: number): Promise<TakeResult> {
    return this.takeOne(openid, templateId, key, at);
  }

  async finish(openid: string, key: string, outcome: string): Promise<void> {
    prepared(
      this.db,
      'UPDATE subscription_sends SET outcome = ? WHERE openid = ? AND key = ? AND outcome IS NULL',
    ).run(outcome, openid, key);
  }
}
