/** PrivacyStore over SQLite: settings and erasure jobs as JSON rows, consent answers appended. */
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
import type { Db } from './db';

export class SqlitePrivacyStore implements PrivacyStore {
  private readonly consent;
  private readonly personalise;
  private readonly share;
  private readonly riskWrite;
  private readonly interestsWrite;
  private readonly casErasure;
  /** Statements every `recommend` / `track` call runs, compiled once (preparing one costs more than running it). */
  private readonly getDoc;
  private readonly getErasureDoc;

  constructor(private readonly db: Db) {
    const getDoc = db.prepare('SELECT doc FROM accounts WHERE openid = ?').pluck();
    this.getDoc = getDoc;
    this.getErasureDoc = db.prepare('SELECT doc FROM erasures WHERE subject = ?').pluck();
    const putDoc = db.prepare('INSERT OR REPLACE INTO accounts (openid, doc) VALUES (?, ?)');
    const settings = (openid: string, at: number): AccountSettings => {
      const doc = getDoc.get(openid) as string | undefined;
      return doc === undefined
        ? { openid, consent: null, personalised: true, demographics: {}, updatedAt: at }
        : parseSettings(doc);
    };
    this.consent = db.transaction((openid: string, r: ConsentRecord) => {
      db.prepare('INSERT INTO consents (openid, at, doc) VALUES (?, ?, ?)').run(
        openid,
        r.at,
        JSON.stringify(r),
      );
      putDoc.run(
        openid,
        JSON.stringify({ ...settings(openid, r.at), consent: r, updatedAt: r.at }),
      );
    });
    this.personalise = db.transaction((openid: string, on: boolean, at: number) => {
      putDoc.run(
        openid,
        JSON.stringify({ ...settings(openid, at), personalised: on, updatedAt: at }),
      );
    });
    this.share = db.transaction((openid: string, d: Demographics, at: number) => {
      putDoc.run(
        openid,
        JSON.stringify({ ...settings(openid, at), demographics: shared(d), updatedAt: at }),
      );
    });
    this.riskWrite = db.transaction((openid: string, r: RiskAssessment | null, at: number) => {
      putDoc.run(openid, JSON.stringify({ ...settings(openid, at), risk: r, updatedAt: at }));
    });
    this.interestsWrite = db.transaction(
      (openid: string, i: ChosenInterests | null, at: number) => {
        putDoc.run(
          openid,
          JSON.stringify({ ...settings(openid, at), interests: i, updatedAt: at }),
        );
      },
    );
    this.casErasure = db.transaction((job: ErasureJob, expectedRev: number): boolean => {
      const rev =
        (db.prepare('SELECT rev FROM erasures WHERE subject = ?').pluck().get(job.subject) as
          number | undefined) ?? 0;
      if (rev !== expectedRev || job.rev !== expectedRev + 1) return false;
      db.prepare(
        'INSERT OR REPLACE INTO erasures (subject, status, rev, doc) VALUES (?, ?, ?, ?)',
      ).run(job.subject, job.status, job.rev, JSON.stringify(job));
      return true;
    });
  }

  async getSettings(openid: string): Promise<AccountSettings | null> {
    const doc = this.getDoc.get(openid) as string | undefined;
    return doc === undefined ? null : parseSettings(doc);
  }

  async recordConsent(openid: string, record: ConsentRecord): Promise<void> {
    this.consent.immediate(openid, record);
  }

  async consentHistory(openid: string): Promise<ConsentRecord[]> {
    const docs = this.db
      .prepare('SELECT doc FROM consents WHERE openid = ? ORDER BY seq')
      .pluck()
      .all(openid) as string[];
    return docs.map((d) => JSON.parse(d) as ConsentRecord);
  }

  async setPersonalised(openid: string, personalised: boolean, at: number): Promise<void> {
    this.personalise.immediate(openid, personalised, at);
  }

  async setDemographics(openid: string, demographics: Demographics, at: number): Promise<void> {
    this.share.immediate(openid, demographics, at);
  }

  async setRiskAssessment(openid: string, risk: RiskAssessment | null, at: number): Promise<void> {
    this.riskWrite.immediate(openid, risk, at);
  }

  async setChosenInterests(
    openid: string,
    interests: ChosenInterests | null,
    at: number,
  ): Promise<void> {
    this.interestsWrite.immediate(openid, interests, at);
  }

  async countSharedAudience(filter: AudienceFilter): Promise<number> {
    // A scan of the settings rows (one per user who set anything): run on a campaign's create or edit only.
    const conds = ["json_extract(doc, '$.personalised') IS NOT 0"];
    const params: string[] = [];
    for (const [list, path] of [
      [filter.genders, '$.demographics.gender'],
      [filter.ageBands, '$.demographics.ageBand'],
      [filter.cities, '$.demographics.city'],
    ] as const) {
      if (list.length === 0) continue;
      conds.push(`json_extract(doc, '${path}') IN (${list.map(() => '?').join(', ')})`);
      params.push(...list);
    }
    const sql = `SELECT COUNT(*) FROM accounts WHERE ${conds.join(' AND ')}`;
    return this.db
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  }

  async getErasure(subject: string): Promise<ErasureJob | null> {
    const doc = this.getErasureDoc.get(subject) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as ErasureJob);
  }

  async saveErasure(job: ErasureJob, expectedRev: number): Promise<boolean> {
    return this.casErasure.immediate(job, expectedRev);
  }

  async runningErasures(limit: number): Promise<ErasureJob[]> {
    const docs = this.db
      .prepare("SELECT doc FROM erasures WHERE status = 'running' ORDER BY subject LIMIT ?")
      .pluck()
      .all(limit) as string[];
    return docs.map((d) => JSON.parse(d) as ErasureJob).sort((a, b) => a.startedAt - b.startedAt);
  }

  async purgeErasuresBefore(cutoff: number, limit: number): Promise<number> {
    const sql = `DELETE FROM erasures WHERE subject IN (SELECT subject FROM erasures
      WHERE status = 'done' AND json_extract(doc, '$.finishedAt') < ? LIMIT ?)`;
    return this.db.prepare(sql).run(cutoff, limit).changes;
  }
}

/** Rows written before demographics existed read as sharing nothing; a withdrawn assessment or choice reads as none. */
function parseSettings(doc: string): AccountSettings {
  const { risk, interests, ...s } = JSON.parse(doc) as AccountSettings;
  return {
    ...s,
    demographics: s.demographics ?? {},
    ...(risk ? { risk } : {}),
    ...(interests ? { interests } : {}),
  };
}

/** Only the fields that are set (no undefined keys in the stored JSON). */
function shared(d: Demographics): Demographics {
  return {
    ...(d.gender !== undefined ? { gender: d.gender } : {}),
    ...(d.ageBand !== undefined ? { ageBand: d.ageBand } : {}),
    ...(d.city !== undefined ? { city: d.city } : {}),
  };
}
