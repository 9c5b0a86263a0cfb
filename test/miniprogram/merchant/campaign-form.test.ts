/** The campaign editor's form module: conversions (yuan ↔ fen, CST dates ↔ ms), checks, patches and server-error mapping. */
import {
  blankForm,
  fieldOf,
  formOf,
  patchOf,
  serverFieldErrors,
  toInput,
  validate,
} from '../../../miniprogram/merchant/pages/campaign/form';
import { DAY0, DAY_MS, NOW, campaign } from './campaign-fixtures';

describe('campaign form', () => {
  it('round-trips a stored campaign: the form sends back what is stored when nothing changes', () => {
    const c = campaign({ hours: [20, 9] });
    const input = toInput(formOf(c))!;
    expect(input).toEqual({ ...validInputOf(c), hours: [9, 20] });
    expect(patchOf(input, toInput(formOf(c))!)).toEqual({});
  });

  it('shows a schedule that ends mid-day as ending that day, and only sends it when the dates change', () => {
    const c = campaign({ endAt: DAY0 + 10 * DAY_MS + 5 * 3_600_000 }); // 05:00 CST on 12-08
    const form = formOf(c);
    expect(form.endDate).toBe('2026-12-08');
    const original = toInput(form)!;
    expect(patchOf(original, toInput({ ...form, bidYuan: '0.60' })!)).toEqual({ bidFen: 60 });
    expect(patchOf(original, toInput({ ...form, endDate: '2026-12-09' })!)).toEqual({
      endAt: DAY0 + 12 * DAY_MS,
    });
  });

  it('checks amounts as typed: at most two decimals, within the platform limits, budgets in order', () => {
    const base = { ...blankForm(NOW), name: 'n', title: 't', landingPath: 'pages/feed/index' };
    expect(validate(base, NOW).errors).toEqual({});
    expect(validate({ ...base, bidYuan: '0.505' }, NOW).errors.bidFen).toBe(
      '请输入金额（元，最多两位小数）',
    );
    expect(validate({ ...base, bidYuan: '100.01' }, NOW).errors.bidFen).toBe(
      '出价须在 ¥0.05 到 ¥100.00 之间',
    );
    expect(validate({ ...base, dailyYuan: '0.40' }, NOW).errors.dailyBudgetFen).toBe(
      '日预算不能低于单次点击出价',
    );
    expect(
      validate({ ...base, totalYuan: '1000001', dailyYuan: '1000001' }, NOW).errors,
    ).toMatchObject({ dailyBudgetFen: '日预算不能超过 ¥1,000,000.00' });
    expect(
      validate({ ...base, landingKind: 'item', landingItemId: ' ' }, NOW).errors.creative_landing,
    ).toBe('请填写落地内容的 ID');
  });

  it('checks the schedule: ends after it starts, at most a year, in the future unless unchanged', () => {
    const base = { ...blankForm(NOW), name: 'n', title: 't', landingPath: 'pages/feed/index' };
    expect(
      validate({ ...base, startDate: '2026-12-01', endDate: '2027-12-02' }, NOW).errors.endAt,
    ).toBe('投放周期不能超过一年');
    expect(
      validate({ ...base, startDate: '2026-11-01', endDate: '2026-11-20' }, NOW).errors.endAt,
    ).toBe('结束日期必须在将来');
    // An edit of a campaign whose schedule is over, leaving the schedule alone, is not refused for it.
    const past = { ...base, startDate: '2026-11-01', endDate: '2026-11-20' };
    expect(validate(past, NOW, toInput(past)!).errors.endAt).toBeUndefined();
    expect(validate({ ...base, startDate: '2026-02-30' }, NOW).errors.startAt).toBe(
      '请选择开始日期',
    );
  });

  it('maps server paths onto form fields, whatever wraps them', () => {
    expect(fieldOf('campaign.creative.title')).toBe('creative_title');
    expect(fieldOf('patch.hours.1')).toBe('hours');
    expect(fieldOf('creative.landing.itemId')).toBe('creative_landing');
    expect(fieldOf('campaign.targeting.ageBands.0')).toBe('targeting_ageBands');
    expect(fieldOf('bidFen')).toBe('bidFen');
    expect(fieldOf('campaignId')).toBeNull();
    expect(
      serverFieldErrors(
        '请求参数有误：bidFen: 出价须在 5 到 10000 分之间; targeting.interestTags: 未知的兴趣标签：火星; 至少修改一项',
      ),
    ).toEqual({
      errors: {
        bidFen: '出价须在 5 到 10000 分之间',
        targeting_interestTags: '未知的兴趣标签：火星',
      },
      rest: ['至少修改一项'],
    });
  });
});

function validInputOf(c: ReturnType<typeof campaign>) {
  const {
    name,
    creative,
    targeting,
    bidFen,
    dailyBudgetFen,
    totalBudgetFen,
    startAt,
    endAt,
    hours,
  } = c;
  return {
    name,
    creative,
    targeting,
    bidFen,
    dailyBudgetFen,
    totalBudgetFen,
    startAt,
    endAt,
    hours,
  };
}
