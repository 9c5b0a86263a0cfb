/**
 * What `train` leaves where clients can read it, on both adapters. On the cloud every file in
 * storage is readable by any client (the bucket is 所有用户可读 for the ad images), so the
 * trainer's blobs there — whose state names users (pending impressions, the engagement window)
 * — must be sealed: no openid, digest of one or id derived from one in any stored byte, no
 * guessable path; tampered files refused. The local host publishes only its uploads/ blobs.
 * Training, resuming and rollback work on the sealed blobs as before.
 */
import type * as WxServerSdk from 'wx-server-sdk';
import { openCloudStores } from '../../../server/adapters/cloud';
import { loadVersion, ServingModelCache } from '../../../server/learning/model-versions';
import { rollback } from '../../../server/learning/rollback';
import { runTraining, type TrainContext } from '../../../server/learning/training-run';
import type { Stores } from '../../../server/ports';
import { scrubLearning } from '../../../server/privacy/learning-scrub';
import { makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { personalTraces } from '../../helpers/personal-scan';
import { slateTraffic } from '../../helpers/slate-traffic';
import type { OpenedStores } from '../../helpers/sqlite-stores';

jest.setTimeout(30_000);
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const CATS = ['美食', '旅行', '科技', '体育'];
const ITEMS = Array.from({ length: 24 }, (_, i) =>
  makeItem(`it-${i}`, { category: CATS[i % 4], tags: [`t${i % 4}`] }),
);
const USERS = Array.from({ length: 6 }, (_, i) => `oKnownUser_${i}AbCdEf`);

/** Slates of 6 items for USERS; clicks follow each user's favourite category. */
const traffic = (s: Stores, at: number, seed: number, slates = 48): Promise<void> =>
  slateTraffic(s, { items: ITEMS, cats: CATS, users: USERS }, at, seed, slates);

describe.each(bothAdapters)('train blobs on %s', (name, open) => {
  let opened: OpenedStores;
  let s: Stores;
  let now: number;
  const errors: string[] = [];
  const ctx = (): TrainContext => ({
    stores: s,
    now: () => now,
    log: { info: () => undefined, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) },
  });
  // Labels when the click window closes (not early): a run then leaves impressions pending in the
  // trainer's state and issues no version, the state these tests look at.
  const opts = { minExamples: 20, earlyLabels: false };

  beforeEach(async () => {
    opened = await open();
    s = opened.stores;
    errors.length = 0;
    await s.catalog.upsert(ITEMS);
    now = T0;
  });
  afterEach(() => opened.cleanup());

  /** A promoted v000001, then a run that leaves impressions pending (their click window is open). */
  async function trainWithPending(): Promise<void> {
    await traffic(s, T0, 1);
    now = T0 + 40 * MIN;
    expect(await runTraining(ctx(), opts)).toMatchObject({ version: 'v000001', promoted: true });
    await traffic(s, now, 2);
    now += MIN;
    const r = await runTraining(ctx(), opts);
    expect(r).toMatchObject({ status: 'trained', version: null });
    expect(r.pending).toBeGreaterThan(0);
  }

  it('leaves nothing a client can read that names a user, while the functions still read every user back', async () => {
    await trainWithPending();
    // As the functions see them, the trainer's blobs do name the users (so the scan below can fail).
    const dump = await opened.dumpAll!();
    for (const openid of USERS) {
      expect(
        personalTraces(dump, openid).some((t) => t.collection.startsWith('blob:train/state/')),
      ).toBe(true);
    }

    const files = await opened.publicFiles!();
    if (name === 'cloud') {
      // Every blob is in the public bucket (the state and v000001), none under its key's name.
      expect(Object.keys(files)).toHaveLength(2);
      for (const p of Object.keys(files)) expect(p).toMatch(/^recsys\/blobs\/[0-9a-f]{64}$/);
    } else {
      expect(Object.keys(files)).toEqual([]);
    }
    const asDump = Object.fromEntries(Object.entries(files).map(([p, bytes]) => [p, [bytes]]));
    for (const openid of USERS) expect(personalTraces(asDump, openid)).toEqual([]);
    for (const [, bytes] of Object.entries(files)) {
      expect(bytes).not.toMatch(/oKnownUser|"pending"|"engagements"|CTRM/);
    }
  });

  it('resumes from the sealed state, frees the old one, and rolls back to a sealed version', async () => {
    await trainWithPending();
    const before = (await s.checkpoints.get('train'))!;
    now += 40 * MIN; // the pending impressions' click window has closed
    const r = await runTraining(ctx(), opts);
    expect(r).toMatchObject({ status: 'trained', version: 'v000002' });
    expect(r.examples).toBeGreaterThan(0);
    expect(r.pending).toBe(0);
    expect(errors.filter((e) => e.includes('unreadable'))).toEqual([]);
    const after = (await s.checkpoints.get('train'))!;
    expect(after.stateKey).not.toBe(before.stateKey);
    expect(await s.blobs.get(before.stateKey!)).toBeNull();
    expect(await s.blobs.get(after.stateKey!)).not.toBeNull();

    await rollback(s, 'v000001', now, ctx().log);
    expect((await s.models.serving())?.version).toBe('v000001');
    expect((await new ServingModelCache(0).get(s, now, ctx().log))?.meta.version).toBe('v000001');
  });
});

/** The SDK the cloud test adapter runs on (installed over the in-memory transport by its first open). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = (): typeof WxServerSdk => require('wx-server-sdk') as typeof WxServerSdk;

describe('train blobs on cloud: a changed file in storage or another key', () => {
  const [, openCloud] = bothAdapters.find(([n]) => n === 'cloud')!;
  let opened: OpenedStores;
  let s: Stores;
  let now: number;
  const errors: string[] = [];
  const ctx = (): TrainContext => ({
    stores: s,
    now: () => now,
    log: { info: () => undefined, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) },
  });

  beforeEach(async () => {
    opened = await openCloud();
    s = opened.stores;
    errors.length = 0;
    await s.catalog.upsert(ITEMS);
    now = T0;
  });
  afterEach(() => opened.cleanup());

  /** Flips one byte of the file holding `key`, in storage (as a client able to write there would). */
  async function tamper(key: string): Promise<void> {
    const meta = (await opened.dumpAll!()).blobs
      .map((d) => JSON.parse(d) as { key: string; fileID: string })
      .find((d) => d.key === key)!;
    const cloudPath = meta.fileID.slice(meta.fileID.indexOf('/', 'cloud://'.length) + 1);
    const bytes = Buffer.from((await opened.publicFiles!())[cloudPath], 'latin1');
    bytes[bytes.length >> 1] ^= 0x01;
    await sdk().uploadFile({ cloudPath, fileContent: bytes });
  }

  it('refuses a tampered model (the serving one stays), a tampered trainer state (dropped, logged), a run under another key (fails, saves nothing); an erasure deletes the changed file', async () => {
    await traffic(s, T0, 1);
    now = T0 + 40 * MIN;
    await runTraining(ctx(), { minExamples: 20 });
    const cache = new ServingModelCache(0);
    expect((await cache.get(s, now, ctx().log))?.meta.version).toBe('v000001');
    await traffic(s, now, 2);
    now += 40 * MIN;
    expect(await runTraining(ctx(), { minExamples: 20 })).toMatchObject({
      version: 'v000002',
      promoted: true,
    });

    await tamper('models/ctr/v000002.bin');
    await expect(loadVersion(s, 'v000002')).rejects.toMatchObject({ code: 'BLOB_TAMPERED' });
    expect((await cache.get(s, now + 1, ctx().log))?.meta.version).toBe('v000001');
    expect(errors.join('\n')).toMatch(/v000002.*BLOB_TAMPERED/);

    errors.length = 0;
    await traffic(s, now, 3);
    now += MIN;
    expect((await runTraining(ctx(), { minExamples: 20 })).pending).toBeGreaterThan(0);
    const cp = (await s.checkpoints.get('train'))!;

    // A function holding another key fails its run and saves nothing (it would seal what others cannot read).
    const other = openCloudStores(sdk(), {
      cloudEnv: '',
      blobEncryptionKey: Buffer.alloc(32, 9).toString('base64'),
    });
    await expect(
      runTraining({ ...ctx(), stores: other }, { minExamples: 20 }),
    ).rejects.toMatchObject({ code: 'BLOB_KEY_MISMATCH' });
    expect(await s.checkpoints.get('train')).toEqual(cp);

    await tamper(cp.stateKey!);
    now += 40 * MIN;
    // The pending impressions are gone with the state: nothing left to learn, nothing read from the changed file.
    const r = await runTraining(ctx(), { minExamples: 20 });
    expect(r).toMatchObject({ status: 'idle', pending: 0 });
    expect(errors.join('\n')).toMatch(/train state unreadable.*BLOB_TAMPERED/);

    // An erasure's scrub: under another key it fails (and is retried); the changed model file, which
    // it can neither scrub nor load, it deletes, and it scrubs the intact v000001.
    await expect(scrubLearning(other, USERS[0], 'erasure', now)).rejects.toMatchObject({
      code: 'BLOB_KEY_MISMATCH',
    });
    expect(await scrubLearning(s, USERS[0], 'erasure', now)).toMatchObject({ done: true });
    expect(await s.blobs.get('models/ctr/v000002.bin')).toBeNull();
    expect(await s.blobs.get('models/ctr/v000001.bin')).not.toBeNull();
  });
});
