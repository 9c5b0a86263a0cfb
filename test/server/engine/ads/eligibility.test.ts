/** Which campaigns may enter an auction: schedule (CST dates and hours), targeting, opt-out, budgets, frequency cap, hides, corrupted records. */
import type { Campaign } from '../../../../typings';
import { checkEligible, type AdState } from '../../../../server/engine/ads/eligibility';
import { elapsedServingShare, inSchedule } from '../../../../server/engine/ads/schedule';
import { matchTargeting, type Audience } from '../../../../server/engine/ads/targeting';
import { checkCampaign } from '../../../../server/engine/ads/validate';
import { makeCampaign } from '../../../helpers/fixtures';

// 2026-11-28 10:00 CST (02:00 UTC).
const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
const HOUR = 3_600_000;

const fresh: AdState = { spentTodayFen: 0, spentTotalFen: 0, seenToday: 0, hidden: false };
const broad = (over: Partial<Campaign> = {}): Campaign =>
  makeCampaign('c1', {
    targeting: { interestTags: [], genders: [], ageBands: [], cities: [], scenes: [] },
    startAt: NOW - 24 * HOUR,
    endAt: NOW + 24 * HOUR,
    ...over,
  });
const audience = (over: Partial<Audience> = {}): Audience => ({
  personalised: true,
  interests: [],
  scene: 1001,
  context: [],
  ...over,
});

describe('schedule (CST)', () => {
  it('serves within [startAt, endAt) and in the listed CST hours only', () => {
    const c = broad({ hours: [9, 10, 11] });
    expect(inSchedule(c, NOW)).toBe(true);
    expect(inSchedule(c, NOW + 2 * HOUR)).toBe(false); // 12:00 CST
    expect(inSchedule(c, NOW - 2 * HOUR)).toBe(false); // 08:00 CST
    expect(inSchedule(broad({ startAt: NOW + 1 }), NOW)).toBe(false);
    expect(inSchedule(broad({ endAt: NOW }), NOW)).toBe(false);
  });

  it('measures the elapsed share of the serving day over its hours', () => {
    expect(elapsedServingShare(broad(), NOW)).toBeCloseTo(10 / 24, 9); // 10:00 of a full day
    expect(elapsedServingShare(broad({ hours: [8, 9, 10, 11] }), NOW)).toBeCloseTo(2 / 4, 9);
    expect(elapsedServingShare(broad({ hours: [20, 21] }), NOW)).toBe(0);
  });
});

describe('targeting', () => {
  const t = (over: Partial<Campaign['targeting']>): Campaign['targeting'] => ({
    interestTags: [],
    genders: [],
    ageBands: [],
    cities: [],
    scenes: [],
    ...over,
  });

  it('admits a likely-buyers campaign only for a personalised user ranked within its share', () => {
    const c = t({ likelyBuyers: 0.3 });
    expect(matchTargeting(c, audience({ buyerTopShare: 0.3 }))).toEqual({
      code: 'buyers',
      text: '根据你近期的消费记录',
    });
    expect(matchTargeting(c, audience({ buyerTopShare: 0.31 }))).toBeNull();
    expect(matchTargeting(c, audience({ buyerTopShare: null }))).toBeNull();
    expect(matchTargeting(c, audience())).toBeNull();
    expect(matchTargeting(c, audience({ personalised: false, buyerTopShare: 0.01 }))).toBeNull();
    // With interest tags too, both must hold; the interest is the reason shown.
    const both = t({ likelyBuyers: 0.3, interestTags: ['美食'] });
    expect(matchTargeting(both, audience({ interests: ['美食'], buyerTopShare: 0.1 }))?.code).toBe(
      'interest',
    );
    expect(matchTargeting(both, audience({ interests: ['美食'], buyerTopShare: 0.5 }))).toBeNull();
    expect(
      checkEligible(broad({ targeting: c }), audience({ buyerTopShare: 0.9 }), fresh, NOW, 3),
    ).toEqual({
      ok: false,
      why: 'targeting',
    });
  });

  it('matches interest tags from the profile first, then from the page content, with the reason', () => {
    expect(
      matchTargeting(
        t({ interestTags: ['火锅', '美食'] }),
        audience({ interests: ['旅行', '美食'] }),
      ),
    ).toEqual({ code: 'interest', text: '你关注了「美食」' });
    expect(
      matchTargeting(t({ interestTags: ['火锅'] }), audience({ context: ['美食', '火锅'] })),
    ).toEqual({ code: 'context', text: '与你正在浏览的「火锅」内容相关' });
    expect(
      matchTargeting(
        t({ interestTags: ['火锅'] }),
        audience({ interests: ['旅行'], context: ['旅行'] }),
      ),
    ).toBeNull();
    expect(matchTargeting(t({}), audience())).toEqual({
      code: 'broad',
      text: '该广告面向所有用户投放',
    });
  });

  it('uses gender, age band and city only when shared; restricted ads skip users who did not share', () => {
    const shanghai = t({ cities: ['上海'] });
    expect(matchTargeting(shanghai, audience({ city: '上海' }))).toEqual({
      code: 'demographic',
      text: '根据你分享的城市「上海」',
    });
    expect(matchTargeting(shanghai, audience({ city: '北京' }))).toBeNull();
    expect(matchTargeting(shanghai, audience())).toBeNull();
    expect(
      matchTargeting(
        t({ genders: ['female'], ageBands: ['18-24'] }),
        audience({ gender: 'female', ageBand: '18-24' }),
      )?.code,
    ).toBe('demographic');
    expect(
      matchTargeting(
        t({ genders: ['female'], ageBands: ['18-24'] }),
        audience({ gender: 'female' }),
      ),
    ).toBeNull();
  });

  it('names a city the same with or without a trailing 市', () => {
    expect(matchTargeting(t({ cities: ['成都市'] }), audience({ city: '成都' }))?.code).toBe(
      'demographic',
    );
    expect(matchTargeting(t({ cities: ['成都'] }), audience({ city: '成都市' }))?.code).toBe(
      'demographic',
    );
    expect(matchTargeting(t({ cities: ['成都'] }), audience({ city: '都' }))).toBeNull();
  });

  it('targets an opted-out user by context only: no profile interests, no shared attributes', () => {
    const optOut = audience({
      personalised: false,
      interests: ['美食'],
      city: '上海',
      gender: 'female',
      context: ['旅行'],
    });
    expect(matchTargeting(t({ interestTags: ['美食'] }), optOut)).toBeNull();
    expect(matchTargeting(t({ interestTags: ['旅行'] }), optOut)).toEqual({
      code: 'context',
      text: '与你正在浏览的「旅行」内容相关',
    });
    expect(matchTargeting(t({ cities: ['上海'] }), optOut)).toBeNull();
    expect(matchTargeting(t({ genders: ['female'] }), optOut)).toBeNull();
    expect(matchTargeting(t({ scenes: [1001] }), optOut)?.code).toBe('broad');
  });

  it('matches the launch scene when the ad lists scenes', () => {
    expect(matchTargeting(t({ scenes: [1001, 1089] }), audience({ scene: 1089 }))).not.toBeNull();
    expect(matchTargeting(t({ scenes: [1001] }), audience({ scene: 1089 }))).toBeNull();
    expect(matchTargeting(t({ scenes: [1001] }), audience({ scene: null }))).toBeNull();
  });
});

describe('eligibility', () => {
  const check = (c: Campaign, st: Partial<AdState> = {}, cap = 3) =>
    checkEligible(c, audience(), { ...fresh, ...st }, NOW, cap);

  it('admits an active, scheduled, targeted campaign with budget left', () => {
    expect(check(broad())).toEqual({
      ok: true,
      reason: { code: 'broad', text: '该广告面向所有用户投放' },
    });
  });

  it('stops at the frequency cap per user per ad per day', () => {
    expect(check(broad(), { seenToday: 2 }).ok).toBe(true);
    expect(check(broad(), { seenToday: 3 })).toEqual({ ok: false, why: 'frequency' });
    expect(check(broad(), { seenToday: 3 }, 5).ok).toBe(true);
  });

  it('needs a full-bid click to fit both the daily and the total budget', () => {
    const c = broad({ bidFen: 50, dailyBudgetFen: 1000, totalBudgetFen: 5000 });
    expect(check(c, { spentTodayFen: 950 }).ok).toBe(true);
    expect(check(c, { spentTodayFen: 951 })).toEqual({ ok: false, why: 'budget' });
    expect(check(c, { spentTotalFen: 4951 })).toEqual({ ok: false, why: 'budget' });
  });

  it('excludes paused, out-of-schedule, hidden and untargeted campaigns', () => {
    expect(check(broad({ status: 'paused' }))).toEqual({ ok: false, why: 'status' });
    expect(check(broad({ hours: [20] }))).toEqual({ ok: false, why: 'schedule' });
    expect(check(broad(), { hidden: true })).toEqual({ ok: false, why: 'hidden' });
    expect(
      check(
        broad({
          targeting: { interestTags: ['美食'], genders: [], ageBands: [], cities: [], scenes: [] },
        }),
      ),
    ).toEqual({ ok: false, why: 'targeting' });
  });
});

describe('corrupted campaigns', () => {
  it('accepts a sound campaign and names what is wrong with a broken one', () => {
    expect(checkCampaign(broad())).toEqual({ ok: true, campaign: broad() });
    expect(checkCampaign({ ...broad(), bidFen: Number.NaN })).toEqual({
      ok: false,
      id: 'c1',
      reason: expect.stringContaining('bidFen'),
    });
    expect(checkCampaign({ ...broad(), bidFen: -3 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('bidFen'),
    });
    expect(checkCampaign({ ...broad(), bidFen: '50' })).toMatchObject({ ok: false });
    expect(
      checkCampaign({
        ...broad(),
        creative: { title: '', description: '', image: '', landing: { kind: 'page', path: 'x' } },
      }),
    ).toMatchObject({ ok: false, reason: expect.stringContaining('creative.title') });
    expect(checkCampaign({ ...broad(), creative: null })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('creative'),
    });
    expect(checkCampaign({ ...broad(), startAt: NOW, endAt: NOW - 1 })).toMatchObject({
      ok: false,
      reason: 'endAt before startAt',
    });
    expect(checkCampaign(null)).toMatchObject({ ok: false, id: '(no id)' });
  });
});
