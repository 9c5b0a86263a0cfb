/** FAQ entries and support asks over SQLite: whole JSON documents, scope-indexed; the revision and the verdict are columns so compare-and-set is one statement. */
import type {
  AskRecord,
  AskVerdict,
  FaqDictionary,
  FaqEntries,
  FaqEntry,
  SupportAsks,
} from '../../ports/faq';
import type { Db } from './db';
import { prepared } from './statements';

const parse = <T>(row: { doc: string } | undefined): T | null =>
  row ? (JSON.parse(row.doc) as T) : null;

export class SqliteFaqEntries implements FaqEntries {
  constructor(private readonly db: Db) {}

  async list(scope: string): Promise<FaqEntry[]> {
    const rows = prepared(this.db, 'SELECT doc FROM faq_entries WHERE scope = ? ORDER BY id').all(
      scope,
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as FaqEntry);
  }

  async get(id: string): Promise<FaqEntry | null> {
    return parse<FaqEntry>(
      prepared(this.db, 'SELECT doc FROM faq_entries WHERE id = ?').get(id) as
        { doc: string } | undefined,
    );
  }

  async create(e: FaqEntry): Promise<boolean> {
    return (
      prepared(
        this.db,
        'INSERT OR IGNORE INTO faq_entries (id, scope, revision, doc) VALUES (?, ?, ?, ?)',
      ).run(e.id, e.scope, e.revision, JSON.stringify(e)).changes === 1
    );
  }

  async update(e: FaqEntry, expectedRevision: number): Promise<boolean> {
    return (
      prepared(
        this.db,
        'UPDATE faq_entries SET revision = ?, doc = ? WHERE id = ? AND scope = ? AND revision = ?',
      ).run(e.revision, JSON.stringify(e), e.id, e.scope, expectedRevision).changes === 1
    );
  }

  async remove(scope: string, id: string): Promise<boolean> {
    return (
      prepared(this.db, 'DELETE FROM faq_entries WHERE id = ? AND scope = ?').run(id, scope)
        .changes === 1
    );
  }

  async dictionary(scope: string): Promise<FaqDictionary | null> {
    return parse<FaqDictionary>(
      prepared(this.db, 'SELECT doc FROM faq_dictionaries WHERE scope = ?').get(scope) as
        { doc: string } | undefined,
    );
  }

  async saveDictionary(d: FaqDictionary, expectedRevision: number): Promise<boolean> {
    const doc = JSON.stringify(d);
    if (expectedRevision === 0)
      return (
        prepared(
          this.db,
          'INSERT OR IGNORE INTO faq_dictionaries (scope, revision, doc) VALUES (?, ?, ?)',
        ).run(d.scope, d.revision, doc).changes === 1
      );
    return (
      prepared(
        this.db,
        'UPDATE faq_dictionaries SET revision = ?, doc = ? WHERE scope = ? AND revision = ?',
      ).run(d.revision, doc, d.scope, expectedRevision).changes === 1
    );
  }
}

export class SqliteSupportAsks implements SupportAsks {
  constructor(private readonly db: Db) {}

  async add(a: AskRecord): Promise<void> {
    prepared(
      this.db,
      'INSERT INTO support_asks (id, scope, at, verdict, doc) VALUES (?, ?, ?, ?, ?)',
    ).run(a.id, a.scope, a.at, a.verdict, JSON.stringify(a));
  }

  async get(id: string): Promise<AskRecord | null> {
    return parse<AskRecord>(
      prepared(this.db, 'SELECT doc FROM support_asks WHERE id = ?').get(id) as
        { doc: string } | undefined,
    );
  }

  async setVerdict(id: string, verdict: AskVerdict, faqId: string | null): Promise<boolean> {
    return (
      prepared(
        this.db,
        `UPDATE support_asks SET verdict = ?,
           doc = json_set(doc, '$.verdict', ?, '$.verdictFaqId', ?)
         WHERE id = ? AND verdict IS NULL`,
      ).run(verdict, verdict, faqId, id).changes === 1
    );
  }

  async recent(scope: string, since: number, limit: number): Promise<AskRecord[]> {
    const rows = prepared(
      this.db,
      'SELECT doc FROM support_asks WHERE scope = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?',
    ).all(scope, since, limit) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as AskRecord);
  }
}
