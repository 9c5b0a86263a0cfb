/**
 * PrivacyStore over the cloud database: account settings as one document per user (fields
 * updated in place, so a consent answer and a personalisation switch never overwrite each
 * other), consent answers appended, and erasure jobs compare-and-set on their revision.
 */
import type {
  AccountSettings,
  AudienceFilter,
  ChosenInterests,
  ConsentRecord,
  Demographics,
  ErasureJob,
  PrivacyStore,
  RiskAssessment,
} from '../../ports/privacy';
import { docId, isDuplicateKey, MAX_GET, scalar, settle, type Database } from './sdk';
import { COLLECTIONS } from './collections';

export const ACCOUNTS = COLLECTIONS.accounts.name;
export const CONSENTS = COLLECTIONS.consents.name;
export const ERASURES = COLLECTIONS.erasures.name;

/**
 * The settings document. What the user shared for ad targeting is kept as three top-level
 * fields, null when not shared: an update of a nested object would merge into the stored one
 * (the service's partial-update rule), so a field the user stopped sharing could linger.
 */
interface AccountDoc {
  _id: string;
  openid: string;
  consent?: ConsentRecord | null;
  personalised?: boolean;
  gender?: Demographics['gender'] | null;
  ageBand?: Demographics['ageBand'] | null;
  city?: string | null;
  /** The risk assessment, replaced whole (_.set) like the consent record; null when withdrawn. */
  risk?: RiskAssessment | null;
  /** The interests chosen at first launch, replaced whole; null when withdrawn. */
  interests?: ChosenInterests | null;
  updatedAt: number;
}

interface ErasureDoc {
  _id: string;
  subject: string;
  status: ErasureJob['status'];
  startedAt: number;
  /** When a finished job (the tombstone) finished: it is purged after the tombstone window. */
  finishedAt: number | null;
  rev: number;
  doc: string;
}

export class CloudPrivacyStore implements PrivacyStore {
  constructor(private readonly db: Database) {}

  async getSettings(openid: string): Promise<AccountSettings | null> {
    const res = await settle(
      this.db
        .collection(ACCOUNTS)
        .where({ _id: docId(scalar(openid, 'openid')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as AccountDoc[])[0];
    if (!d || d.openid !== openid) return null;
    const demographics: Demographics = {
      ...(d.gender ? { gender: d.gender } : {}),
      ...(d.ageBand ? { ageBand: d.ageBand } : {}),
      ...(typeof d.city === 'string' ? { city: d.city } : {}),
    };
    return {
      openid: d.openid,
      consent: d.consent ?? null,
      personalised: d.personalised !== false,
      demographics,
      ...(d.risk ? { risk: d.risk } : {}),
      ...(d.interests ? { interests: d.interests } : {}),
      updatedAt: d.updatedAt,
    };
  }

  async recordConsent(openid: string, record: ConsentRecord): Promise<void> {
    const consent = {
      noticeVersion: scalar(record.noticeVersion, 'notice version'),
      granted: record.granted === true,
      at: scalar(record.at, 'at'),
    };
    await settle(
      this.db.collection(CONSENTS).add({
        data: { openid: scalar(openid, 'openid'), at: consent.at, doc: JSON.stringify(consent) },
      }),
    );
    await this.upsert(openid, { consent, updatedAt: consent.at });
  }

  async consentHistory(openid: string): Promise<ConsentRecord[]> {
    const res = await settle(
      this.db
        .collection(CONSENTS)
        .where({ openid: scalar(openid, 'openid') })
        .orderBy('at', 'asc')
        .limit(MAX_GET)
        .get(),
    );
    return (res.data as { doc: string }[]).map((d) => JSON.parse(d.doc) as ConsentRecord);
  }

  async setPersonalised(openid: string, personalised: boolean, at: number): Promise<void> {
    await this.upsert(openid, { personalised: personalised === true, updatedAt: scalar(at, 'at') });
  }

  async setDemographics(openid: string, demographics: Demographics, at: number): Promise<void> {
    await this.upsert(openid, {
      gender: demographics.gender === undefined ? null : scalar(demographics.gender, 'gender'),
      ageBand: demographics.ageBand === undefined ? null : scalar(demographics.ageBand, 'age band'),
      city: demographics.city === undefined ? null : scalar(demographics.city, 'city'),
      updatedAt: scalar(at, 'at'),
    });
  }

  async setChosenInterests(
    openid: string,
    interests: ChosenInterests | null,
    at: number,
  ): Promise<void> {
    await this.upsert(openid, {
      // Rebuilt from scalars, so only strings and a number reach the query.
      interests: interests && {
        categories: interests.categories.map((c) => scalar(c, 'category')),
        at: scalar(interests.at, 'at'),
      },
      updatedAt: scalar(at, 'at'),
    });
  }

  async setRiskAssessment(openid: string, risk: RiskAssessment | null, at: number): Promise<void> {
    await this.upsert(openid, {
      // Rebuilt field by field from scalars, so nothing but numbers and the version string reaches the query.
      risk: risk && {
        version: scalar(risk.version, 'version'),
        answers: risk.answers.map((a) => scalar(a, 'answer')),
        score: scalar(risk.score, 'score'),
        tolerance: scalar(risk.tolerance, 'tolerance'),
        at: scalar(risk.at, 'at'),
        expiresAt: scalar(risk.expiresAt, 'expiresAt'),
      },
      updatedAt: scalar(at, 'at'),
    });
  }

  async countSharedAudience(filter: AudienceFilter): Promise<number> {
    const _ = this.db.command;
    const cond: Record<string, unknown> = { personalised: _.neq(false) };
    for (const [list, field] of [
      [filter.genders, 'gender'],
      [filter.ageBands, 'ageBand'],
      [filter.cities, 'city'],
    ] as const) {
      if (list.length > 0) cond[field] = _.in(list.map((v) => scalar(v, field)));
    }
    const res = await settle(this.db.collection(ACCOUNTS).where(cond).count());
    return res.total;
  }

  async getErasure(subject: string): Promise<ErasureJob | null> {
    const res = await settle(
      this.db
        .collection(ERASURES)
        .where({ _id: docId(scalar(subject, 'subject')) })
        .limit(1)
        .get(),
    );
    const d = (res.data as ErasureDoc[])[0];
    return d ? (JSON.parse(d.doc) as ErasureJob) : null;
  }

  async saveErasure(job: ErasureJob, expectedRev: number): Promise<boolean> {
    if (job.rev !== expectedRev + 1) return false;
    const _id = docId(scalar(job.subject, 'subject'));
    const data = {
      subject: job.subject,
      status: job.status,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      rev: job.rev,
      doc: JSON.stringify(job),
    };
    if (expectedRev === 0) {
      try {
        await settle(this.db.collection(ERASURES).add({ data: { _id, ...data } }));
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    }
    const res = await settle(
      this.db
        .collection(ERASURES)
        .where({ _id, rev: scalar(expectedRev, 'rev') })
        .update({ data }),
    );
    return res.stats.updated === 1;
  }

  async runningErasures(limit: number): Promise<ErasureJob[]> {
    const res = await settle(
      this.db
        .collection(ERASURES)
        .where({ status: 'running' })
        .orderBy('startedAt', 'asc')
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    return (res.data as ErasureDoc[]).map((d) => JSON.parse(d.doc) as ErasureJob);
  }

  async purgeErasuresBefore(cutoff: number, limit: number): Promise<number> {
    const _ = this.db.command;
    const res = await settle(
      this.db
        .collection(ERASURES)
        .where({ status: 'done', finishedAt: _.lt(scalar(cutoff, 'cutoff')) })
        .orderBy('finishedAt', 'asc')
        .field({ _id: true })
        .limit(Math.min(limit, MAX_GET))
        .get(),
    );
    const ids = (res.data as { _id: string }[]).map((d) => d._id);
    if (ids.length === 0) return 0;
    // The status is checked again: a tombstone restarted as a job meanwhile is not deleted.
    const del = await settle(
      this.db
        .collection(ERASURES)
        .where({ _id: _.in(ids), status: 'done' })
        .remove(),
    );
    return del.stats.removed;
  }

  /** Sets fields of the user's settings document, creating it (race-safely) with the defaults first. */
  private async upsert(
    openid: string,
    fields: Partial<Omit<AccountDoc, '_id' | 'openid'>>,
  ): Promise<void> {
    const ref = this.db.collection(ACCOUNTS).doc(docId(scalar(openid, 'openid')));
    // An object value (the consent record) replaces the stored field whole (_.set): the SDK
    // would otherwise send it as dotted paths, which the service refuses through a null field
    // ("Cannot create field … in element {consent: null}") — a settings document created by
    // the personalisation switch holds consent: null.
    const _ = this.db.command;
    const update = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [k, v && typeof v === 'object' ? _.set(v) : v]),
    );
    const first = await settle(ref.update({ data: update }));
    if (first.stats.updated > 0) return;
    try {
      const fresh: Omit<AccountDoc, '_id'> = {
        openid,
        consent: null,
        personalised: true,
        gender: null,
        ageBand: null,
        city: null,
        updatedAt: 0,
        ...fields,
      };
      await settle(this.db.collection(ACCOUNTS).add({ data: { _id: docId(openid), ...fresh } }));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await settle(ref.update({ data: update }));
    }
  }
}
