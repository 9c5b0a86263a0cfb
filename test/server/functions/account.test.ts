/**
 * The `account` function on both adapters: consent history, the personalisation switch seen by
 * `recommend`, the profile view, paged export, and erasure that leaves nothing naming the user
 * in any collection or blob the store holds (enumerated from the store itself), merchant data
 * included (membership deleted; audit log and spent invitations kept without the openid).
 */
import { randomUUID } from 'node:crypto';
import type { AdCard, ExportPage, FeedCard, MerchantRequest } from '../../../typings';
import { docId } from '../../../server/adapters/cloud/sdk';
import { ALL, FREQ, HIDE } from '../../../server/engine/ads/counter-keys';
import { CtrFeatureTransformer } from '../../../server/engine/features/transformer';
import { unpackModel } from '../../../server/engine/training/model-package';
import type { FieldAwareFM } from '../../../server/engine/models/ffm';
import { userBuckets } from '../../../server/engine/privacy/forget';
import { emptyProfile, type UserProfile } from '../../../server/engine/profiles/profile';
import { dayBucket, minuteBucket } from '../../../server/engine/time';
import account from '../../../server/functions/account';
import merchant from '../../../server/functions/merchant';
import recommend from '../../../server/functions/recommend';
import { MODEL_CHECK_MS } from '../../../server/learning/model-versions';
import { runTraining } from '../../../server/learning/training-run';
import type { ServedSlate } from '../../../server/ports';
import { ERASED_USER } from '../../../server/ports/personal-data';
import { GATE_TTL_MS } from '../../../server/privacy/gate';
import { toHandler } from '../../../server/runtime/function';
import { sendEvents } from '../../helpers/track-calls';
import { makeCampaign } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { ERASE_RESTART_MS } from '../../../server/privacy/erasure';
import { testDeps, TEST_KEYS, type TestDeps } from '../../helpers/deps';
import { functionCalls } from '../../helpers/function-calls';
import { validInput } from '../../helpers/merchant-world';
import { personalTraces } from '../../helpers/personal-scan';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const recommendH = toHandler(recommend);
const merchantH = toHandler(merchant);
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
/** Distinctive, so a substring scan of every stored byte finds any copy of it. */
const ME = 'erase-me-7f3a9c';
const OTHER = 'keep-me-22b1';
const ADMIN = 'admin-9d41';

const slate = (openid: string, slateId: string, at: number): ServedSlate => ({
  slateId,
  openid,
  servedAt: at,
  modelVersion: null,
  variant: 'feed-exp:B',
  personalised: true,
  scene: 1001,
  cards: [0, 1, 2].map((position) => ({
    position,
    itemId: `item-${position}`,
    score: null,
    propensity: 1,
  })),
});

const ev = (type: string, slateId: string, position: number, extra: object = {}) => ({
  eventId: randomUUID(),
  type,
  clientTime: NOW,
  sessionId: 'sess',
  page: 'pages/feed/index',
  itemId: `item-${position}`,
  slateId,
  position,
  ...extra,
});

const adEv = (type: string, slateId: string, card: AdCard, extra: object = {}) => ({
  eventId: randomUUID(),
  type,
  clientTime: NOW,
  sessionId: 'sess',
  page: 'pages/feed/index',
  adId: card.adId,
  slateId,
  position: card.position,
  ...extra,
});

describe.each(bothAdapters)('account on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { call, ok, anonymous } = functionCalls(account, () => deps, ME);
  const send = (openid: string, events: object[]) => sendEvents(deps, openid, events);
  const merchantOk = async (openid: string, payload: MerchantRequest) => {
    const res = await merchantH({ payload, openid }, deps);
    if (!res.ok) throw new Error(`${payload.action}: ${res.code} ${res.message}`);
    return res.data as never;
  };
  const exportAll = async (openid = ME): Promise<ExportPage[]> => {
    const pages: ExportPage[] = [];
    let cursor: string | undefined;
    do {
      const res = await call({ action: 'export.page', ...(cursor ? { cursor } : {}) }, openid);
      if (!res.ok) throw new Error(res.message);
      expect(Buffer.byteLength(JSON.stringify(res))).toBeLessThan(1024 * 1024);
      const page = (res.data as { page: ExportPage }).page;
      pages.push(page);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return pages;
  };

  /**
   * Two users with consent, events, slates, profiles, a trained model and pending impressions,
   * and an ad served by `recommend` that each saw, clicked and hid (per-user frequency and hide
   * counters, a charged slot, the ad entry in the slate log). ME also owns a merchant: joined
   * with an admin's code, created and edited a campaign (audit entries), and invited OTHER as staff.
   */
  async function populate(): Promise<{ campaignId: string; ownerCode: string }> {
    await deps.stores.ads.upsertCampaigns([
      makeCampaign('camp-1', {
        targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
        startAt: NOW - 86_400_000,
        endAt: NOW + 86_400_000,
      }),
    ]);
    await deps.stores.catalog.upsert(
      [0, 1, 2, 3, 4, 5].map((i) => ({
        id: `item-${i}`,
        title: `t${i}`,
        summary: '',
        category: i === 0 ? '美食' : '旅行',
        tags: [`tag${i}`],
        cover: '',
        authorId: 'a',
        publishedAt: NOW - 86_400_000,
        status: 'published' as const,
      })),
    );
    for (const u of [ME, OTHER]) {
      await ok({ action: 'consent.set', noticeVersion: '2026-11', granted: true }, u);
      await ok({ action: 'demographics.set', gender: 'female', ageBand: '25-34', city: '成都' }, u);
      for (let s = 0; s < 4; s++) {
        const id = `${u}-s${s}`;
        await deps.stores.slates.append(slate(u, id, NOW - 1000));
        await send(u, [
          ev('impression', id, 0),
          ev('impression', id, 1),
          ev('impression', id, 2),
          ev('click', id, s % 3),
        ]);
      }
      await send(u, [
        ev('comment', `${u}-s0`, 0, { text: '写得真好' }),
        ev('order', `${u}-s0`, 0, { orderId: `o-${u}`, amountFen: 990, merchantId: 'm-1' }),
      ]);
      const page = await recommendH({ payload: { limit: 5 }, openid: u }, deps);
      if (!page.ok) throw new Error(page.message);
      const ad = page.data.cards.find((c: FeedCard): c is AdCard => c.kind === 'ad');
      if (!ad) throw new Error('no ad served');
      const sid = page.data.slateId;
      await send(u, [
        adEv('impression', sid, ad),
        adEv('click', sid, ad),
        adEv('hide', sid, ad, { reason: 'not_interested' }),
      ]);
    }
    deps.setNow(NOW + 40 * 60_000);
    const first = await runTraining(deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 });
    expect(first.version).not.toBeNull();
    // An impression still inside its click window stays pending in the trainer's state blob.
    await deps.stores.slates.append(slate(ME, `${ME}-late`, deps.now()));
    deps.setNow(deps.now() + 5_000);
    await send(ME, [{ ...ev('impression', `${ME}-late`, 0), clientTime: deps.now() }]);
    deps.setNow(deps.now() + 5_000);
    await runTraining(deps, { settleMs: 1_000, budgetMs: 20_000, minExamples: 1 });

    deps.config = { ...deps.config, platformAdmins: [ADMIN] };
    const merchantId = (
      (await merchantOk(ADMIN, { action: 'merchant.create', name: '川味火锅' })) as {
        merchant: { id: string };
      }
    ).merchant.id;
    const ownerCode = (
      (await merchantOk(ADMIN, { action: 'invite.create', merchantId, role: 'owner' })) as {
        code: string;
      }
    ).code;
    await merchantOk(ME, { action: 'invite.redeem', code: ownerCode });
    const campaignId = (
      (await merchantOk(ME, {
        action: 'campaign.create',
        // No demographic restriction: the minimum audience has nobody to count in this world.
        campaign: validInput({
          targeting: {
            ...validInput().targeting,
            interestTags: ['美食'],
            ageBands: [],
            cities: [],
          },
        }),
      })) as { campaign: { id: string } }
    ).campaign.id;
    await merchantOk(ME, { action: 'campaign.update', campaignId, patch: { bidFen: 60 } });
    const staffCode = (
      (await merchantOk(ME, { action: 'invite.create', merchantId, role: 'staff' })) as {
        code: string;
      }
    ).code;
    await merchantOk(OTHER, { action: 'invite.redeem', code: staffCode });
    return { campaignId, ownerCode };
  }

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
  });
  afterEach(() => opened.cleanup());

  it('records consent answers with their notice version and time, newest current', async () => {
    expect((await ok({ action: 'consent.get' })).consent).toEqual({
      current: null,
      history: [],
      personalized: true,
    });
    await ok({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    deps.setNow(NOW + 1000);
    const r = await ok({ action: 'consent.set', noticeVersion: 'v2', granted: false });
    expect(r.consent.current).toEqual({ noticeVersion: 'v2', granted: false, at: NOW + 1000 });
    expect(r.consent.history).toEqual([
      { noticeVersion: 'v1', granted: true, at: NOW },
      { noticeVersion: 'v2', granted: false, at: NOW + 1000 },
    ]);
    // Only one's own: another user sees nothing of it.
    expect((await ok({ action: 'consent.get' }, OTHER)).consent.history).toEqual([]);
  });

  it('refuses bad input with a stable code and changes nothing', async () => {
    for (const payload of [
      { action: 'consent.set', noticeVersion: '$where', granted: true },
      { action: 'consent.set', noticeVersion: 'v1', granted: 'yes' },
      { action: 'erase.start', openid: OTHER },
      { action: 'delete.everything' },
      { action: 'export.page', cursor: { $gt: '' } },
    ]) {
      expect(await call(payload)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
    expect(await call({ action: 'export.page', cursor: 'bm90IGEgY3Vyc29y' })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await anonymous({ action: 'consent.get' })).toMatchObject({
      ok: false,
      code: 'UNAUTHENTICATED',
    });
    expect(await deps.stores.privacy.getSettings(ME)).toBeNull();
  });

  it('opting out makes recommend serve and log a non-personalised slate', async () => {
    await ok({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    const logged = async () => {
      const res = await recommendH({ payload: { limit: 5 }, openid: ME }, deps);
      if (!res.ok) throw new Error(res.message);
      return (await deps.stores.slates.get([res.data.slateId]))[0];
    };
    expect((await logged()).personalised).toBe(true);
    expect((await ok({ action: 'personalization.set', enabled: false })).consent.personalized).toBe(
      false,
    );
    expect((await logged()).personalised).toBe(false);
    expect((await ok({ action: 'profile.get' })).profile.personalized).toBe(false);
    await ok({ action: 'personalization.set', enabled: true });
    expect((await logged()).personalised).toBe(true);
  });

  it('opting out changes what recommend returns: an order that no longer depends on the profile', async () => {
    const cats = ['美食', '旅行'];
    await deps.stores.catalog.upsert(
      Array.from({ length: 40 }, (_, i) => ({
        id: `it-${String(i).padStart(2, '0')}`,
        title: `t${i}`,
        summary: '',
        category: cats[i % 2],
        tags: [],
        cover: '',
        authorId: 'a',
        publishedAt: NOW - 86_400_000 - i * 60_000,
        status: 'published' as const,
      })),
    );
    const lover = (category: string): UserProfile => ({
      ...emptyProfile(ME, NOW),
      interests: { [`cat:${category}`]: 20 },
      recent: [],
      lastActiveAt: NOW - 60_000,
    });
    const page = async (): Promise<string[]> => {
      const res = await recommendH({ payload: { limit: 10 }, openid: ME }, deps);
      if (!res.ok) throw new Error(res.message);
      return res.data.cards.flatMap((c) => (c.kind === 'content' ? [c.item.id] : []));
    };
    /** Share of the category at the top of a page (the first five cards). */
    const share = (ids: string[], category: string) =>
      ids.slice(0, 5).filter((id) => Number(id.slice(3)) % 2 === cats.indexOf(category)).length / 5;
    await ok({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    const pages: Record<string, string[]> = {};
    for (const category of cats) {
      await deps.stores.profiles.put([lover(category)]);
      pages[`on:${category}`] = await page();
      await ok({ action: 'personalization.set', enabled: false });
      pages[`off:${category}`] = await page();
      await ok({ action: 'personalization.set', enabled: true });
    }
    // Personalised, the feed follows the profile; refused, it is the same whatever the profile says.
    expect(share(pages['on:美食'], '美食')).toBeGreaterThan(0.5);
    expect(share(pages['on:旅行'], '美食')).toBeLessThan(0.5);
    expect(pages['off:美食']).toEqual(pages['off:旅行']);
    expect(pages['off:美食']).not.toEqual(pages['on:美食']);
    expect(pages['off:美食']).toHaveLength(10);
  });

  it('shows the profile, exports everything tracked, erases it all (twice, harmlessly) and keeps the other user', async () => {
    const { campaignId, ownerCode } = await populate();
    const profile = (await ok({ action: 'profile.get' })).profile;
    expect(profile.eventCounts).toEqual({
      impression: 14,
      click: 5,
      comment: 1,
      order: 1,
      hide: 1,
    });
    expect(profile.interests.map((i) => i.tag)).toEqual(
      expect.arrayContaining(['cat:美食', 'cat:旅行']),
    );
    expect(profile.interests.every((i) => i.score > 0)).toBe(true);
    expect(profile.experiments).toEqual(['feed-exp:B']);

    const pages = await exportAll();
    const records = (c: string) =>
      pages.filter((p) => p.collection === c).flatMap((p) => p.records);
    expect(records('events')).toHaveLength(22);
    expect(JSON.stringify(records('events'))).toContain('写得真好');
    expect(records('slates')).toHaveLength(6);
    expect(JSON.stringify(records('slates'))).toContain('"adId":"camp-1"');
    expect(records('counters').map((r) => r.scope)).toEqual(
      expect.arrayContaining([FREQ, HIDE, 'rate']),
    );
    expect(records('consents')).toHaveLength(1);
    // The settings document carries what the user shared for ad targeting.
    expect(JSON.stringify(records('accounts'))).toMatch(
      /"ageBand":"25-34".*"city":"成都"|"city":"成都".*"ageBand":"25-34"/,
    );
    expect(records('user_profiles')).toHaveLength(1);
    expect(records('merchant_members')).toHaveLength(1);
    expect(records('merchant_invitations')).toHaveLength(2); // the code ME redeemed, the one ME created
    expect(records('campaign_audit')).toHaveLength(2);
    expect(JSON.stringify(pages)).not.toContain(OTHER);

    const before = personalTraces(await opened.dumpAll!(), ME);
    expect(before.some((t) => t.collection.startsWith('blob:'))).toBe(true); // the trainer's pending state names the user
    const day = dayBucket(deps.now());
    const perUser = async (openid: string) => ({
      freq: await deps.stores.counters.read(FREQ, [openid], day),
      hide: await deps.stores.counters.read(HIDE, [openid], ALL),
    });
    expect(await perUser(ME)).toEqual({
      freq: { [ME]: expect.any(Object) },
      hide: { [ME]: expect.any(Object) },
    });
    const serving = (await deps.stores.models.serving())!.version;
    const blobKey = (await deps.stores.models.get(serving))!.blobKey;
    const buckets = userBuckets(new CtrFeatureTransformer(20), ME, ['camp-1']);
    const touched = (m: FieldAwareFM) => buckets.filter((b) => m.linear.touched(b)).length;
    expect(
      touched(unpackModel((await deps.stores.blobs.get(blobKey))!).model as FieldAwareFM),
    ).toBeGreaterThan(0);

    const started = (await ok({ action: 'erase.start' })).erasure!;
    expect(started.status).toBe('running'); // waits out the track gate's cache TTL
    expect(await call({ action: 'export.page' })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
      message: expect.stringMatching(/正在删除/),
    });
    const again = (await ok({ action: 'erase.start' })).erasure!;
    expect(again.startedAt).toBe(started.startedAt);
    // Past the track gate's TTL, but warm instances may not have reloaded the scrubbed model yet.
    deps.setNow(deps.now() + GATE_TTL_MS);
    expect((await ok({ action: 'erase.status' })).erasure!.status).toBe('running');
    deps.setNow(deps.now() + MODEL_CHECK_MS);
    const done = (await ok({ action: 'erase.status' })).erasure!;
    expect(done).toMatchObject({ status: 'done', stepsDone: done.stepsTotal });
    expect(done.deleted).toMatchObject({
      events: 22,
      slates: 6,
      consents: 1,
      accounts: 1,
      user_profiles: 1,
      pendingImpressions: 1,
    });
    expect(done.deleted.modelWeights).toBeGreaterThan(0);
    expect(done.deleted).toMatchObject({
      merchant_members: 1,
      merchant_invitations: 2,
      campaign_audit: 2,
    });

    const after = await opened.dumpAll!();
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['events', 'slates', 'counters']));
    // Nothing names the user, in clear or hashed, but the tombstone: one record keyed by the erasure subject.
    const left = personalTraces(after, ME);
    expect(left.filter((t) => t.via !== 'subject')).toEqual([]);
    expect(left.map((t) => t.collection)).toEqual(['erasures']);
    // The scan would see a counter whose only link to the user is its hashed document id.
    const hashedOnly = JSON.stringify({
      _id: docId(FREQ, ME, day),
      scope: FREQ,
      id: 'x',
      bucket: day,
      f: {},
    });
    expect(personalTraces({ counters: [hashedOnly] }, ME)).toEqual([
      expect.objectContaining({ via: 'docId' }),
    ]);
    expect(await perUser(ME)).toEqual({ freq: {}, hide: {} });
    expect(await deps.stores.counters.read('rate', [ME], minuteBucket(NOW))).toEqual({});
    expect(
      touched(unpackModel((await deps.stores.blobs.get(blobKey))!).model as FieldAwareFM),
    ).toBe(0);
    // Aggregates without identity stay; the other user keeps everything.
    const items = await deps.stores.counters.read('item', ['item-0'], dayBucket(NOW));
    expect(items['item-0'].impressions).toBe(9);
    expect(await deps.stores.events.countForUser(OTHER)).toBe(21);
    expect(personalTraces(after, OTHER).length).toBeGreaterThan(0);
    // The merchant keeps its record of what changed, no longer naming who; OTHER stays staff.
    const audit = await deps.stores.merchants.listAudit(campaignId, 10);
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['create', ERASED_USER],
      ['update', ERASED_USER],
    ]);
    expect(audit[1].changes).toEqual([{ field: 'bidFen', before: 50, after: 60 }]);
    expect(await deps.stores.merchants.membership(ME)).toBeNull();
    expect(await deps.stores.merchants.membership(OTHER)).toMatchObject({ role: 'staff' });
    // The code ME redeemed stays spent.
    const reuse = await merchantH(
      { payload: { action: 'invite.redeem', code: ownerCode }, openid: 'newcomer-1' },
      deps,
    );
    expect(reuse).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await perUser(OTHER)).toEqual({
      freq: { [OTHER]: expect.any(Object) },
      hide: { [OTHER]: expect.any(Object) },
    });

    // Repeating it at once answers the finished erasure (no new job: restarts are rate-limited);
    // later it is a new erasure, which finishes as before. The export is now empty.
    expect((await ok({ action: 'erase.start' })).erasure!.status).toBe('done');
    deps.setNow(deps.now() + ERASE_RESTART_MS);
    expect((await ok({ action: 'erase.start' })).erasure!.status).toBe('running');
    deps.setNow(deps.now() + GATE_TTL_MS);
    expect((await ok({ action: 'erase.status' })).erasure!.status).toBe('done');
    expect((await exportAll()).flatMap((p) => p.records)).toEqual([]);
  });

  it('erases a history larger than one chunk, resuming where each bounded call stopped', async () => {
    await ok({ action: 'consent.set', noticeVersion: 'v1', granted: true });
    const old = Array.from({ length: 1_200 }, (_, i) => ({
      openid: ME,
      eventId: randomUUID(),
      type: 'impression' as const,
      serverTime: NOW - i,
      clientTime: NOW - i,
      clockSkewed: false,
      sessionId: 's',
      page: 'pages/feed/index',
      props: {},
    }));
    await deps.stores.events.append(old);
    const { startErasure, advanceErasure } = await import('../../../server/privacy/erasure');
    const { subjectOf } = await import('../../../server/privacy/subject');
    // A budget that allows one chunk per call.
    let t = 0;
    const clock = () => (t += 1_000);
    let p = await startErasure(deps.stores, ME, deps.now(), TEST_KEYS, { budgetMs: 1_500, clock });
    expect(p.deleted.events).toBe(500);
    p = await advanceErasure(deps.stores, subjectOf(ME, TEST_KEYS), deps.now(), {
      budgetMs: 1_500,
      clock,
    });
    expect(p.deleted.events).toBe(1_000);
    deps.setNow(deps.now() + GATE_TTL_MS);
    p = await advanceErasure(deps.stores, subjectOf(ME, TEST_KEYS), deps.now(), {
      budgetMs: 60_000,
      clock: () => 0,
    });
    expect(p).toMatchObject({ status: 'done', deleted: { events: 1_200 } });
    expect(await deps.stores.events.countForUser(ME)).toBe(0);
  });
});
