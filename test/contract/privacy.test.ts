/**
 * Contract of the privacy and personal-data ports, run on both adapters; and retention purging
 * exactly the old events, and the old slates with their charge counters once the trainer is past them.
 */
import type { ErasureJob } from '../../server/ports';
import { ALL, CHARGED } from '../../server/engine/ads/counter-keys';
import { TRAIN_JOB } from '../../server/learning/trainer-state';
import {
  purgeOldEvents,
  purgeOldSlates,
  SLATE_JOIN_MARGIN_MS,
} from '../../server/privacy/retention';
import { bothAdapters } from '../helpers/adapters';
import { runningErasure, storedEventAt } from '../helpers/fixtures';
import type { OpenedStores } from '../helpers/sqlite-stores';

const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const DAY = 86_400_000;

const job = (over: Partial<ErasureJob> = {}): ErasureJob =>
  runningErasure('abc123', 'u1', NOW, over);

describe.each(bothAdapters)('privacy ports on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it('keeps consent history in order and settings per user, the switch and the consent apart', async () => {
    const p = opened.stores.privacy;
    expect(await p.getSettings('u1')).toBeNull();
    await p.setPersonalised('u1', false, NOW);
    await p.recordConsent('u1', { noticeVersion: 'v1', granted: true, at: NOW + 1 });
    await p.recordConsent('u1', { noticeVersion: 'v2', granted: false, at: NOW + 2 });
    expect(await p.getSettings('u1')).toEqual({
      openid: 'u1',
      consent: { noticeVersion: 'v2', granted: false, at: NOW + 2 },
      personalised: false,
      demographics: {},
      updatedAt: NOW + 2,
    });
    expect((await p.consentHistory('u1')).map((c) => c.noticeVersion)).toEqual(['v1', 'v2']);
    expect(await p.consentHistory('u2')).toEqual([]);
  });

  it('replaces shared demographics whole (a field no longer shared is gone) and keeps the other settings', async () => {
    const p = opened.stores.privacy;
    await p.setDemographics('u2', { gender: 'female', city: '成都' }, NOW);
    expect(await p.getSettings('u2')).toEqual({
      openid: 'u2',
      consent: null,
      personalised: true,
      demographics: { gender: 'female', city: '成都' },
      updatedAt: NOW,
    });
    await p.recordConsent('u2', { noticeVersion: 'v1', granted: true, at: NOW + 1 });
    await p.setPersonalised('u2', false, NOW + 2);
    await p.setDemographics('u2', { ageBand: '25-34' }, NOW + 3);
    expect(await p.getSettings('u2')).toEqual({
      openid: 'u2',
      consent: { noticeVersion: 'v1', granted: true, at: NOW + 1 },
      personalised: false,
      demographics: { ageBand: '25-34' },
      updatedAt: NOW + 3,
    });
    await p.setDemographics('u2', {}, NOW + 4);
    expect((await p.getSettings('u2'))?.demographics).toEqual({});
    expect(await p.getSettings('u3')).toBeNull();
  });

  it('replaces the risk assessment whole, keeps the other settings, and withdraws it', async () => {
    const p = opened.stores.privacy;
    const a = {
      version: 'risk-2026-12',
      answers: [2, 1, 3, 2, 1, 2],
      score: 11,
      tolerance: 3 as const,
      at: NOW,
      expiresAt: NOW + 1000,
    };
    await p.recordConsent('u4', { noticeVersion: 'v1', granted: true, at: NOW });
    await p.setDemographics('u4', { city: '成都' }, NOW);
    await p.setRiskAssessment('u4', a, NOW + 1);
    expect(await p.getSettings('u4')).toEqual({
      openid: 'u4',
      consent: { noticeVersion: 'v1', granted: true, at: NOW },
      personalised: true,
      demographics: { city: '成都' },
      risk: a,
      updatedAt: NOW + 1,
    });
    // A shorter answer list replaces the stored one (no element left over from the longer one).
    const b = { ...a, answers: [0, 0], score: 0, tolerance: 1 as const, at: NOW + 2 };
    await p.setRiskAssessment('u4', b, NOW + 2);
    expect((await p.getSettings('u4'))?.risk).toEqual(b);
    await p.setRiskAssessment('u4', null, NOW + 3);
    const after = await p.getSettings('u4');
    expect(after).not.toHaveProperty('risk');
    expect(after?.demographics).toEqual({ city: '成都' });
  });

  it('keeps the interests chosen at first launch beside the rest, replaced whole and withdrawn', async () => {
    const p = opened.stores.privacy;
    await p.setChosenInterests('u5', { categories: ['美食', '旅行', '科技'], at: NOW }, NOW);
    expect(await p.getSettings('u5')).toEqual({
      openid: 'u5',
      consent: null,
      personalised: true,
      demographics: {},
      interests: { categories: ['美食', '旅行', '科技'], at: NOW },
      updatedAt: NOW,
    });
    await p.recordConsent('u5', { noticeVersion: 'v1', granted: true, at: NOW + 1 });
    // A shorter list replaces the stored one (no element left over from the longer one).
    await p.setChosenInterests('u5', { categories: ['体育'], at: NOW + 2 }, NOW + 2);
    const s = await p.getSettings('u5');
    expect(s?.interests).toEqual({ categories: ['体育'], at: NOW + 2 });
    expect(s?.consent).toEqual({ noticeVersion: 'v1', granted: true, at: NOW + 1 });
    await p.setChosenInterests('u5', null, NOW + 3);
    expect(await p.getSettings('u5')).not.toHaveProperty('interests');
  });

  it('saves erasure jobs by compare-and-set and lists the running ones', async () => {
    const p = opened.stores.privacy;
    expect(await p.saveErasure(job(), 0)).toBe(true);
    expect(await p.saveErasure(job(), 0)).toBe(false);
    expect(await p.saveErasure(job({ rev: 2, step: 3 }), 5)).toBe(false);
    expect(await p.saveErasure(job({ rev: 2, step: 3 }), 1)).toBe(true);
    await p.saveErasure(job({ subject: 'def456', startedAt: NOW - 10 }), 0);
    expect((await p.runningErasures(10)).map((j) => j.subject)).toEqual(['def456', 'abc123']);
    await p.saveErasure(job({ rev: 3, status: 'done', openid: null, step: 3 }), 2);
    expect((await p.runningErasures(10)).map((j) => j.subject)).toEqual(['def456']);
    expect(await p.getErasure('abc123')).toMatchObject({ status: 'done', openid: null, step: 3 });
  });

  it("pages and erases exactly one user's records in bounded chunks", async () => {
    const s = opened.stores;
    await s.events.append([
      ...Array.from({ length: 7 }, (_, i) => storedEventAt('u1', NOW + i)),
      storedEventAt('u2', NOW),
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await s.personal.read('events', 'u1', cursor, 3);
      expect(page.records.length).toBeLessThanOrEqual(3);
      for (const r of page.records) seen.push(String(r.event_id ?? r.eventId));
      cursor = page.cursor;
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(7);
    expect(await s.personal.eventCounts('u1')).toEqual({ click: 7 });
    expect(await s.personal.erase('events', 'u1', 5)).toBe(5);
    expect(await s.personal.erase('events', 'u1', 5)).toBe(2);
    expect(await s.personal.erase('events', 'u1', 5)).toBe(0);
    expect(await s.events.countForUser('u2')).toBe(1);
    await expect(s.personal.read('nope', 'u1', null, 1)).rejects.toThrow(
      /not a personal-data collection/,
    );
  });

  it('retention purges exactly the events older than the age, in chunks', async () => {
    const s = opened.stores;
    const old = Array.from({ length: 1_050 }, (_, i) =>
      storedEventAt(`u${i % 3}`, NOW - 181 * DAY + i),
    );
    const edge = storedEventAt('u1', NOW - 180 * DAY); // exactly at the cutoff: kept
    const fresh = Array.from({ length: 20 }, (_, i) => storedEventAt('u1', NOW - i * DAY));
    await s.events.append([...old, edge, ...fresh]);
    let t = 0;
    const r = await purgeOldEvents(s, NOW, {
      retentionDays: 180,
      budgetMs: 60_000,
      clock: () => t++,
    });
    expect(r).toEqual({ purged: 1_050, complete: true });
    const left = (await s.events.readAfter(null, Number.MAX_SAFE_INTEGER, 5_000)).events
      .map((e) => e.eventId)
      .sort();
    expect(left).toEqual([edge, ...fresh].map((e) => e.eventId).sort());
  });

  it('retention purges the old slates and their charge counters, never one the label join may still need', async () => {
    const s = opened.stores;
    const slate = (slateId: string, servedAt: number) =>
      s.slates.append({
        slateId,
        openid: 'u1',
        servedAt,
        modelVersion: null,
        variant: null,
        personalised: true,
        scene: null,
        cards: [{ position: 3, adId: 'c1', score: null, propensity: 1, priceFen: 30 }],
      });
    const old = Array.from({ length: 1_030 }, (_, i) => `old-${i}`);
    for (const [i, id] of old.entries()) await slate(id, NOW - 181 * DAY + i);
    await slate('edge', NOW - 180 * DAY); // exactly at the cutoff: kept
    await slate('fresh', NOW - DAY);
    const charged = ['old-0', 'old-1029', 'edge', 'fresh'];
    for (const id of charged)
      await s.counters.add([{ scope: CHARGED, id, bucket: ALL, field: 'p3', by: 1 }]);
    const opts = { retentionDays: 180, budgetMs: 60_000, clock: () => 0 };

    // The trainer has not run yet: its label join may still need every slate.
    expect(await purgeOldSlates(s, NOW, opts)).toEqual({ purged: 0, complete: true });
    // Its last checkpoint only a day after the old slates: they may still be joined; none purged.
    const checkpoint = {
      name: TRAIN_JOB,
      rev: 1,
      cursor: null,
      head: null,
      stateKey: null,
      versions: 0,
      updatedAt: NOW - 180 * DAY,
    };
    expect(await s.checkpoints.save(checkpoint, 0)).toBe(true);
    expect(await purgeOldSlates(s, NOW, opts)).toEqual({ purged: 0, complete: true });
    expect((await s.slates.get(['old-0'])).length).toBe(1);

    expect(await s.checkpoints.save({ ...checkpoint, rev: 2, updatedAt: NOW - DAY }, 1)).toBe(true);
    expect(NOW - DAY - SLATE_JOIN_MARGIN_MS).toBeGreaterThan(NOW - 180 * DAY);
    expect(await purgeOldSlates(s, NOW, opts)).toEqual({ purged: 1_030, complete: true });
    expect((await s.slates.get([...old, 'edge', 'fresh'])).map((x) => x.slateId).sort()).toEqual([
      'edge',
      'fresh',
    ]);
    const counters = await s.counters.read(CHARGED, charged, ALL);
    expect(Object.keys(counters).sort()).toEqual(['edge', 'fresh']);
  });
});
