/**
 * The risk questionnaire on both adapters (金融理财, issue 19): `account` scores answers into a
 * tolerance C1–C5 (needs consent, validates, replaces, withdraws, expires after a year, cleared
 * by a consent withdrawal, exported); `recommend` applies it as the suitability rule to content
 * and ads — with personalisation off too — so a product above it is never served.
 */
import type { Campaign, RiskAssessmentView, RiskQuestionnaire } from '../../../typings';
import recommend from '../../../server/functions/recommend';
import { ASSESSMENT_VALID_MS, QUESTIONNAIRE_VERSION } from '../../../server/engine/risk-assessment';
import { toHandler } from '../../../server/runtime/function';
import { makeCampaign, makeItem } from '../../helpers/fixtures';
import { bothAdapters } from '../../helpers/adapters';
import { testDeps, type TestDeps } from '../../helpers/deps';
import { accountCalls } from '../../helpers/account-calls';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const recommendH = toHandler(recommend);
const NOW = Date.UTC(2026, 11, 6, 2, 0, 0);
const ME = 'demo-user-1';

const broad = (id: string, over: Partial<Campaign>): Campaign =>
  makeCampaign(id, {
    targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
    startAt: NOW - 86_400_000,
    endAt: NOW + 400 * 86_400_000,
    ...over,
  });

describe.each(bothAdapters)('the risk questionnaire on %s', (_name, open) => {
  let opened: OpenedStores;
  let deps: TestDeps;
  const { call, ok, consent } = accountCalls(() => deps, ME);
  const assessment = async (payload: object, openid = ME): Promise<RiskAssessmentView | null> =>
    ((await ok(payload, openid)) as { assessment: RiskAssessmentView | null }).assessment;
  const answer = (answers: number[], openid = ME) =>
    assessment({ action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers }, openid);

  beforeEach(async () => {
    opened = await open();
    deps = testDeps(opened.stores, NOW);
  });
  afterEach(() => opened.cleanup());

  it('serves the questionnaire and scores answers into C1–C5 by its bands and caps', async () => {
    const q = ((await ok({ action: 'risk.questionnaire' })) as { questionnaire: RiskQuestionnaire })
      .questionnaire;
    expect(q.version).toBe(QUESTIONNAIRE_VERSION);
    expect(q.questions.map((x) => x.id)).toEqual([
      'experience',
      'horizon',
      'loss',
      'objective',
      'income',
      'knowledge',
    ]);
    await consent(true);
    // Hand-computed: the sum of option indices in bands 0–4 / 5–8 / 9–12 / 13–16 / 17–19.
    expect(await answer([0, 0, 0, 0, 0, 0])).toMatchObject({ stated: 1, label: '保守型' });
    expect(await answer([2, 1, 2, 1, 1, 1])).toMatchObject({ stated: 2, score: 8 });
    expect(await answer([2, 2, 2, 2, 1, 2])).toMatchObject({ stated: 3, score: 11 });
    expect(await answer([3, 3, 3, 3, 2, 2])).toMatchObject({ stated: 4, score: 16 });
    expect(await answer([4, 3, 4, 3, 2, 3])).toMatchObject({ stated: 5, score: 19, maxScore: 19 });
    // Caps: no loss accepted is C1 whatever the rest; a horizon under a year is at most C3.
    expect(await answer([4, 3, 0, 3, 2, 3])).toMatchObject({ stated: 1, score: 15 });
    expect(await answer([4, 0, 4, 3, 2, 3])).toMatchObject({ stated: 3, score: 16 });
    const got = await assessment({ action: 'risk.get' });
    expect(got).toMatchObject({
      stated: 3,
      tolerance: 3,
      expired: false,
      answers: [4, 0, 4, 3, 2, 3],
      at: NOW,
      expiresAt: NOW + ASSESSMENT_VALID_MS,
    });
    expect(await assessment({ action: 'risk.get' }, 'someone-else')).toBeNull();
  });

  it('refuses without consent and on bad answers, and changes nothing', async () => {
    expect(
      await call({
        action: 'risk.assess',
        version: QUESTIONNAIRE_VERSION,
        answers: [1, 1, 1, 1, 1, 1],
      }),
    ).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: expect.stringMatching(/隐私保护指引/),
    });
    expect(await opened.stores.privacy.getSettings(ME)).toBeNull();
    await consent(true);
    await answer([2, 2, 2, 2, 1, 2]);
    for (const [payload, code] of [
      [
        { action: 'risk.assess', version: 'risk-1999-01', answers: [1, 1, 1, 1, 1, 1] },
        'BAD_REQUEST',
      ],
      [
        { action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers: [1, 1, 1] },
        'BAD_REQUEST',
      ],
      [
        { action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers: [1, 1, 1, 1, 3, 1] },
        'BAD_REQUEST',
      ],
      [
        { action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers: [1, 1, 1, 1, 1, -1] },
        'INVALID_INPUT',
      ],
      [
        { action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers: [1.5, 1, 1, 1, 1, 1] },
        'INVALID_INPUT',
      ],
      [{ action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers: [] }, 'INVALID_INPUT'],
      [
        { action: 'risk.assess', version: QUESTIONNAIRE_VERSION, answers: Array(50).fill(1) },
        'INVALID_INPUT',
      ],
      [
        { action: 'risk.assess', version: { $ne: null }, answers: [1, 1, 1, 1, 1, 1] },
        'INVALID_INPUT',
      ],
      [
        {
          action: 'risk.assess',
          version: QUESTIONNAIRE_VERSION,
          answers: [1, 1, 1, 1, 1, 1],
          tolerance: 5,
        },
        'INVALID_INPUT',
      ],
      [{ action: 'risk.clear', openid: 'other' }, 'INVALID_INPUT'],
    ] as const) {
      expect(await call(payload)).toMatchObject({ ok: false, code });
    }
    expect(await assessment({ action: 'risk.get' })).toMatchObject({ stated: 3, score: 11 });
  });

  it('withdraws, expires after a year, is cleared by a consent withdrawal and exported with the settings', async () => {
    await consent(true);
    await answer([2, 2, 2, 2, 1, 2]);
    const accounts: object[] = [];
    for (let cursor: string | undefined, n = 0; n < 50; n++) {
      const page = (
        (await ok({ action: 'export.page', ...(cursor ? { cursor } : {}) })) as {
          page: { collection: string; records: object[]; cursor: string | null };
        }
      ).page;
      if (page.collection === 'accounts') accounts.push(...page.records);
      if (page.cursor === null) break;
      cursor = page.cursor;
    }
    expect(JSON.stringify(accounts)).toContain('"tolerance":3');
    expect(await assessment({ action: 'risk.clear' })).toBeNull();
    expect(await assessment({ action: 'risk.get' })).toBeNull();
    // Withdrawing what was never stated writes nothing.
    expect(await assessment({ action: 'risk.clear' }, 'stranger')).toBeNull();
    expect(await opened.stores.privacy.getSettings('stranger')).toBeNull();

    await answer([2, 2, 2, 2, 1, 2]);
    deps.setNow(NOW + ASSESSMENT_VALID_MS);
    expect(await assessment({ action: 'risk.get' })).toMatchObject({
      stated: 3,
      tolerance: null,
      expired: true,
    });
    await answer([2, 2, 2, 2, 1, 2]);
    await consent(false);
    expect(await assessment({ action: 'risk.get' })).toBeNull();
  });

  describe('recommend applies it as the suitability rule', () => {
    /** Content and ad ids served over a session's pages, until it is exhausted. */
    const served = async (): Promise<{ content: Set<string>; ads: Set<string> }> => {
      const content = new Set<string>();
      const ads = new Set<string>();
      for (let s = 0; s < 3; s++) {
        let cursor: string | undefined;
        for (let page = 0; page < 6; page++) {
          deps.setNow(deps.now() + 1000);
          const res = await recommendH(
            { payload: { limit: 5, ...(cursor ? { cursor } : {}) }, openid: ME },
            deps,
          );
          if (!res.ok) throw new Error(res.message);
          for (const c of res.data.cards)
            if (c.kind === 'ad') ads.add(c.adId);
            else content.add(c.item.id);
          if (!res.data.cursor || res.data.cards.length === 0) break;
          cursor = res.data.cursor;
        }
      }
      return { content, ads };
    };
    const funds = (ids: Set<string>) => [...ids].filter((id) => id.startsWith('fund')).sort();

    beforeEach(async () => {
      await opened.stores.catalog.upsert([
        ...Array.from({ length: 8 }, (_, i) =>
          makeItem(`it-${i}`, { publishedAt: NOW - 3_600_000 - i }),
        ),
        makeItem('fund-r2', { category: '理财', riskLevel: 2, publishedAt: NOW - 60_000 }),
        makeItem('fund-r4', { category: '理财', riskLevel: 4, publishedAt: NOW - 60_000 }),
      ]);
      await opened.stores.ads.upsertCampaigns([
        broad('fund-ad-r5', { riskLevel: 5, bidFen: 900 }),
        broad('fund-ad-r2', { riskLevel: 2, bidFen: 50 }),
      ]);
      await consent(true);
    });

    it('offers no risk-rated product before an assessment, up to the stated level after, and none once withdrawn', async () => {
      let got = await served();
      expect(funds(got.content)).toEqual([]);
      expect(funds(got.ads)).toEqual([]);
      expect(got.content.size).toBe(8); // the rest of the catalog is served

      await answer([2, 2, 2, 2, 1, 2]); // C3
      got = await served();
      expect(funds(got.content)).toEqual(['fund-r2']);
      expect(funds(got.ads)).toEqual(['fund-ad-r2']);

      await answer([4, 3, 4, 3, 2, 3]); // C5: the high bid wins now
      got = await served();
      expect(funds(got.content)).toEqual(['fund-r2', 'fund-r4']);
      expect(got.ads.has('fund-ad-r5')).toBe(true);

      await ok({ action: 'risk.clear' });
      got = await served();
      expect(funds(got.content)).toEqual([]);
      expect(funds(got.ads)).toEqual([]);
    });

    it('caps the stated level by what payments support, never raises it, shows both on 我的, and forgets the cap with the profile', async () => {
      const withPayments = (suggestedTolerance: 1 | 2 | 3 | 4 | 5, reason: 'erratic' | null) =>
        opened.stores.profiles.put([
          {
            openid: ME,
            updatedAt: NOW,
            interests: {},
            counts: {},
            recent: [],
            lastActiveAt: NOW,
            payments: {
              segment: 'new',
              segmentLabel: '新客户',
              orders: 2,
              monetaryFen: 900_000,
              recencyDays: 1,
              suggestedTolerance,
              toleranceReason: reason,
              asOf: NOW,
            },
          },
        ]);
      await answer([4, 3, 4, 3, 2, 3]); // C5
      // Erratic payments cap C5 at C2: ranking and the auction both act on C2.
      await withPayments(2, 'erratic');
      let got = await served();
      expect(funds(got.content)).toEqual(['fund-r2']);
      expect(funds(got.ads)).toEqual(['fund-ad-r2']);
      expect(await assessment({ action: 'risk.get' })).toMatchObject({
        stated: 5,
        tolerance: 2,
        suggested: 2,
        suggestedReason: '付款金额波动较大或退款较多',
      });
      // A regular, stable payer keeps the stated level.
      await withPayments(5, null);
      got = await served();
      expect(funds(got.content)).toEqual(['fund-r2', 'fund-r4']);
      expect(got.ads.has('fund-ad-r5')).toBe(true);
      expect(await assessment({ action: 'risk.get' })).toMatchObject({
        stated: 5,
        tolerance: 5,
        suggested: null,
        suggestedReason: null,
      });
      // Never raised: stated C3 with a suggestion of C5 stays C3.
      await answer([2, 2, 2, 2, 1, 2]);
      got = await served();
      expect(funds(got.content)).toEqual(['fund-r2']);
      expect(funds(got.ads)).toEqual(['fund-ad-r2']);
      // Erasing the profile (where the suggestion lives) removes the cap.
      await answer([4, 3, 4, 3, 2, 3]);
      await withPayments(2, 'erratic');
      while ((await opened.stores.personal.erase('user_profiles', ME, 100)) > 0);
      expect(await assessment({ action: 'risk.get' })).toMatchObject({
        tolerance: 5,
        suggested: null,
      });
      got = await served();
      expect(funds(got.content)).toEqual(['fund-r2', 'fund-r4']);
    });

    it('holds with personalisation off, and after the assessment expires', async () => {
      await answer([2, 2, 2, 2, 1, 2]); // C3
      await ok({ action: 'personalization.set', enabled: false });
      let got = await served();
      expect(funds(got.content)).toEqual(['fund-r2']);
      expect(funds(got.ads)).toEqual(['fund-ad-r2']);
      deps.setNow(NOW + ASSESSMENT_VALID_MS);
      got = await served();
      expect(funds(got.content)).toEqual([]);
      expect(funds(got.ads)).toEqual([]);
    });
  });
});
