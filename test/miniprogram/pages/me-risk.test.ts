/**
 * The Me page's 风险测评 section in miniprogram-simulate with real @vant/weapp components
 * (van-radio, van-button, van-tag) and a stubbed `account` client: folded until asked, then the
 * questionnaire it loads, the answers it sends only once complete, and what it shows back.
 */
import * as simulate from 'miniprogram-simulate';
import type {
  AccountRequest,
  AccountResponse,
  RiskAssessmentView,
  RiskQuestionnaire,
} from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import {
  answersFor,
  levelNote,
  suggestionNote,
  summaryOf,
} from '../../../miniprogram/pages/me/risk/view';
import sectionJson from '../../../miniprogram/pages/me/risk/index.json';
import pageJson from '../../../miniprogram/pages/me/index.json';
import { loadWithVant } from '../helpers/vant';
import { tap } from '../merchant/page-helpers';
import { stubFunction } from '../helpers/stub-api';

const Q: RiskQuestionnaire = {
  version: 'risk-test',
  questions: [
    { id: 'a', text: '问题一', options: ['甲', '乙', '丙'] },
    { id: 'b', text: '问题二', options: ['甲', '乙'] },
  ],
};
const AT = Date.UTC(2026, 11, 6, 2);
const C3: RiskAssessmentView = {
  stated: 3,
  tolerance: 3,
  label: '平衡型',
  score: 2,
  maxScore: 3,
  answers: [1, 1],
  version: 'risk-test',
  at: AT,
  expiresAt: AT + 365 * 86_400_000,
  expired: false,
  suggested: null,
  suggestedLabel: null,
  suggestedReason: null,
};

/** Answers by action; risk.assess answers `assessed`. */
function stubApi(
  mine: RiskAssessmentView | null,
  assessed: RiskAssessmentView | Error = C3,
): AccountRequest[] {
  return stubFunction('account', (req: AccountRequest): AccountResponse => {
    switch (req.action) {
      case 'risk.questionnaire':
        return { action: req.action, questionnaire: Q };
      case 'risk.get':
        return { action: req.action, assessment: mine };
      case 'risk.assess':
        if (assessed instanceof Error) throw assessed;
        return { action: req.action, assessment: assessed };
      case 'risk.clear':
        return { action: req.action, assessment: null };
      default:
        throw new Error(`unexpected ${req.action}`);
    }
  });
}

type AnyObject = WechatMiniprogram.IAnyObject;
type Section = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

let sectionId: string;
beforeAll(() => {
  sectionId = loadWithVant('pages/me/risk/index', 'rs-risk', sectionJson.usingComponents);
});
afterEach(() => setApi(null));

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await simulate.sleep(0);
};

function open(): Section {
  const s = simulate.render(sectionId);
  s.attach(document.createElement('parent-wrapper'));
  return s;
}

const unfold = (s: Section) => tap(s, 'rs-risk-toggle', '.van-cell');
/** What van-radio emits when tapped (a tap on its icon does not reach the handler in simulate; see me-demographics.test.ts). */
async function choose(s: Section, q: number, o: number): Promise<void> {
  const radio = s.querySelector(`#rs-risk-q${q}-o${o}`) as unknown as {
    instance: { triggerEvent(name: string, detail: unknown): void };
  };
  radio.instance.triggerEvent('change', o);
  await settle();
}
const checked = (s: Section, q: number, o: number): boolean =>
  Boolean(s.querySelector(`#rs-risk-q${q}-o${o}`)?.querySelector('.van-radio__icon--checked'));
const text = (s: Section): string => (s.dom as HTMLElement).textContent ?? '';

describe('me page: 风险测评 section', () => {
  it('is part of the me page', () => {
    expect(pageJson.usingComponents).toMatchObject({ 'rs-risk': './risk/index' });
  });

  it('sends nothing until unfolded, then shows the questions with the stored answers and level', async () => {
    const calls = stubApi(C3);
    const s = open();
    await settle();
    expect(calls).toEqual([]);
    await unfold(s);
    expect(calls.map((c) => c.action).sort()).toEqual(['risk.get', 'risk.questionnaire']);
    expect(text(s)).toContain('1. 问题一');
    expect(text(s)).toContain('C3 平衡型');
    expect(text(s)).toMatch(/不构成投资建议/);
    expect([checked(s, 0, 0), checked(s, 0, 1), checked(s, 1, 1)]).toEqual([false, true, true]);
    expect(s.querySelector('#rs-risk-clear')).toBeTruthy();
  });

  it('a failed load says why; unfolding again retries', async () => {
    let fail = true;
    const calls = stubFunction('account', (req: AccountRequest): AccountResponse | Error => {
      if (req.action === 'risk.questionnaire')
        return fail
          ? new ApiError('UNAVAILABLE', '服务暂时不可用，请稍后重试')
          : { action: req.action, questionnaire: Q };
      if (req.action === 'risk.get') return { action: req.action, assessment: C3 };
      throw new Error(`unexpected ${req.action}`);
    });
    const s = open();
    await unfold(s);
    expect(text(s)).toContain('服务暂时不可用，请稍后重试');
    expect(text(s)).not.toContain('1. 问题一');
    fail = false;
    await unfold(s); // folds
    await unfold(s);
    expect(calls.filter((c) => c.action === 'risk.questionnaire')).toHaveLength(2);
    expect(text(s)).not.toContain('服务暂时不可用');
    expect(text(s)).toContain('1. 问题一');
    await unfold(s);
    await unfold(s); // shown: no third load
    expect(calls.filter((c) => c.action === 'risk.questionnaire')).toHaveLength(2);
  });

  it('shows the stated level and, when payments cap it, the level the products follow and why', async () => {
    const capped: RiskAssessmentView = {
      ...C3,
      stated: 5,
      label: '进取型',
      tolerance: 2,
      suggested: 2,
      suggestedLabel: '稳健型',
      suggestedReason: '付款金额波动较大或退款较多',
    };
    stubApi(capped);
    const s = open();
    await unfold(s);
    expect(text(s)).toContain('C5 进取型');
    expect(s.querySelector('#rs-risk-suggested')).toBeTruthy();
    expect(text(s)).toContain(
      '根据你的付款记录（付款金额波动较大或退款较多），理财产品暂按 C2 稳健型推荐，不高于你测评的等级',
    );
    expect(suggestionNote(C3)).toBe('');
    expect(suggestionNote({ ...capped, expired: true })).toBe('');
  });

  it('submits only once every question is answered, and shows the server’s level', async () => {
    const calls = stubApi(null);
    const s = open();
    await unfold(s);
    expect(text(s)).not.toContain('C3');
    expect(s.querySelector('#rs-risk-clear')).toBeFalsy();
    await choose(s, 0, 2);
    expect(s.instance.data.complete).toBe(false);
    await tap(s, 'rs-risk-submit', '.van-button');
    expect(calls.filter((c) => c.action === 'risk.assess')).toEqual([]);
    await choose(s, 1, 0);
    expect(checked(s, 0, 2) && checked(s, 1, 0)).toBe(true);
    await tap(s, 'rs-risk-submit', '.van-button');
    expect(calls.filter((c) => c.action === 'risk.assess')).toEqual([
      { action: 'risk.assess', version: 'risk-test', answers: [2, 0] },
    ]);
    // What shows is the server's answer, not the local choice.
    expect(s.instance.data.answers).toEqual([1, 1]);
    expect(s.instance.data.message).toBe('测评完成：C3 平衡型');
    expect(s.instance.data.summary).toBe('我的等级：C3 平衡型');
  });

  it('shows a refusal as the server worded it, and withdraws on 撤回测评', async () => {
    const calls = stubApi(C3, new ApiError('FORBIDDEN', '请先同意隐私保护指引，再进行风险测评'));
    const s = open();
    await unfold(s);
    await tap(s, 'rs-risk-submit', '.van-button');
    expect(s.instance.data.message).toBe('请先同意隐私保护指引，再进行风险测评');
    await tap(s, 'rs-risk-clear', '.van-button');
    expect(calls[calls.length - 1]).toEqual({ action: 'risk.clear' });
    expect(s.instance.data.summary).toBe('尚未测评');
    expect(s.instance.data.answers).toEqual([null, null]);
    expect(s.querySelector('#rs-risk-clear')).toBeFalsy();
  });

  it('words an expired assessment and keeps answers only for the same questionnaire', () => {
    const old = { ...C3, expired: true, tolerance: null };
    expect(summaryOf(old)).toBe('C3 平衡型（已过期）');
    expect(levelNote(old)).toMatch(/已过期/);
    expect(levelNote(C3)).toBe('有效期至 2027-12-06');
    expect(answersFor(C3, 'risk-test', 2)).toEqual([1, 1]);
    expect(answersFor(C3, 'risk-newer', 2)).toEqual([null, null]);
    expect(answersFor(null, 'risk-test', 3)).toEqual([null, null, null]);
  });
});
