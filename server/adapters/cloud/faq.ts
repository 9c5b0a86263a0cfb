/** FAQ entries and support asks over the cloud database: one document each (_id from its id); edits conditional on revision, a verdict set only while none is. */
import type {
  AskRecord,
  AskVerdict,
  FaqDictionary,
  FaqEntries,
  FaqEntry,
  SupportAsks,
} from '../../ports/faq';
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const FAQ_ENTRIES = COLLECTIONS.faqEntries.name;
export const SUPPORT_ASKS = COLLECTIONS.supportAsks.name;
export const FAQ_DICTIONARIES = COLLECTIONS.faqDictionaries.name;

const stripId = <T>(d: T & { _id: string }): T => {
  const { _id, ...rest } = d;
  void _id;
  return rest as T;
};

export class CloudFaqEntries implements FaqEntries {
  constructor(private readonly db: Database) {}

  async list(scope: string): Promise<FaqEntry[]> {
    const out: FaqEntry[] = [];
    for (let skip = 0; ; skip += MAX_GET) {
      const res = await settle(
        this.db
          .collection(FAQ_ENTRIES)
          .where({ scope: scalar(scope, 'scope') })
          .orderBy('id', 'asc')
          .skip(skip)
          .limit(MAX_GET)
          .get(),
      );
      const page = res.data as (FaqEntry & { _id: string })[];
      out.push(...page.map((d) => stripId<FaqEntry>(d)));
      if (page.length < MAX_GET) return out;
    }
  }

  async get(id: string): Promise<FaqEntry | null> {
    const res = await settle(
      this.db
        .collection(FAQ_ENTRIES)
        .where({ _id: docId(scalar(id, 'faq id')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as (FaqEntry & { _id: string })[])[0];
    return d ? stripId<FaqEntry>(d) : null;
  }

  async create(e: FaqEntry): Promise<boolean> {
    try {
      await settle(
        this.db.collection(FAQ_ENTRIES).add({ data: { _id: docId(scalar(e.id, 'faq id')), ...e } }),
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async update(e: FaqEntry, expectedRevision: number): Promise<boolean> {
    const _ = this.db.command;
    const { id, ...rest } = e;
    // Arrays are replaced whole (_.set), not merged element by element.
    const data = { ...rest, similar: _.set(rest.similar) };
    const res = await settle(
      this.db
        .collection(FAQ_ENTRIES)
        .where({
          _id: docId(scalar(id, 'faq id')),
          scope: scalar(e.scope, 'scope'),
          revision: scalar(expectedRevision, 'revision'),
        })
        .update({ data }),
    );
    return res.stats.updated === 1;
  }

  async remove(scope: string, id: string): Promise<boolean> {
    const res = await settle(
      this.db
        .collection(FAQ_ENTRIES)
        .where({ _id: docId(scalar(id, 'faq id')), scope: scalar(scope, 'scope') })
        .remove(),
    );
    return res.stats.removed > 0;
  }

  async dictionary(scope: string): Promise<FaqDictionary | null> {
    const res = await settle(
      this.db
        .collection(FAQ_DICTIONARIES)
        .where({ _id: docId(scalar(scope, 'scope')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as (FaqDictionary & { _id: string })[])[0];
    return d ? stripId<FaqDictionary>(d) : null;
  }

  async saveDictionary(d: FaqDictionary, expectedRevision: number): Promise<boolean> {
    const _id = docId(scalar(d.scope, 'scope'));
    if (expectedRevision === 0) {
      try {
        await settle(this.db.collection(FAQ_DICTIONARIES).add({ data: { _id, ...d } }));
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    }
    const _ = this.db.command;
    // Arrays are replaced whole (_.set), not merged element by element.
    const res = await settle(
      this.db
        .collection(FAQ_DICTIONARIES)
        .where({ _id, revision: scalar(expectedRevision, 'revision') })
        .update({
          data: {
            words: _.set(d.words),
            synonyms: _.set(d.synonyms),
            revision: d.revision,
            updatedAt: d.updatedAt,
          },
        }),
    );
    return res.stats.updated === 1;
  }
}

export class CloudSupportAsks implements SupportAsks {
  constructor(private readonly db: Database) {}

  async add(a: AskRecord): Promise<void> {
    await settle(
      this.db.collection(SUPPORT_ASKS).add({ data: { _id: docId(scalar(a.id, 'ask id')), ...a } }),
    );
  }

  async get(id: string): Promise<AskRecord | null> {
    const res = await settle(
      this.db
        .collection(SUPPORT_ASKS)
        .where({ _id: docId(scalar(id, 'ask id')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as (AskRecord & { _id: string })[])[0];
    return d ? stripId<AskRecord>(d) : null;
  }

  async setVerdict(id: string, verdict: AskVerdict, faqId: string | null): Promise<boolean> {
    // Conditional on no verdict yet: atomic per document, so of two verdicts one lands.
    const res = await settle(
      this.db
        .collection(SUPPORT_ASKS)
        .where({ _id: docId(scalar(id, 'ask id')), verdict: null })
        .update({ data: { verdict: scalar(verdict, 'verdict'), verdictFaqId: faqId } }),
    );
    return res.stats.updated === 1;
  }

  async recent(scope: string, since: number, limit: number): Promise<AskRecord[]> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(SUPPORT_ASKS)
        .where({ scope: scalar(scope, 'scope'), at: _.gte(scalar(since, 'since')) })
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as (AskRecord & { _id: string })[]).map((d) => stripId<AskRecord>(d));
  }
}
