/**
 * The Me page's 广告偏好 section in miniprogram-simulate with real @vant/weapp components
 * (van-radio, van-picker in a van-popup, van-field) and a stubbed `account` client: folded until
 * asked, then what it loads, sends and shows back, and how it refuses a bad city.
 */
import * as simulate from 'miniprogram-simulate';
import type { AccountRequest, AccountResponse, Demographics } from '../../../typings';
import { setApi } from '../../../miniprogram/services/api';
import { ApiError } from '../../../miniprogram/services/api-error';
import {
  ageAt,
  ageIndexOf,
  cityError,
  saveRequest,
} from '../../../miniprogram/pages/me/demographics/view';
import sectionJson from '../../../miniprogram/pages/me/demographics/index.json';
import pageJson from '../../../miniprogram/pages/me/index.json';
import { loadWithVant } from '../helpers/vant';
import { inOrder, stubFunction } from '../helpers/stub-api';

/** A stub client: each account call takes the next scripted answer, in order. */
const stubApi = (...answers: (AccountResponse | Error)[]): AccountRequest[] =>
  stubFunction('account', inOrder(answers));

const answer = (
  action: 'demographics.get' | 'demographics.set' | 'demographics.clear',
  demographics: Demographics,
): AccountResponse => ({ action, demographics });

type AnyObject = WechatMiniprogram.IAnyObject;
type Section = simulate.RootComponent<AnyObject, AnyObject, AnyObject>;

let sectionId: string;
beforeAll(() => {
  sectionId = loadWithVant(
    'pages/me/demographics/index',
    'rs-demographics',
    sectionJson.usingComponents,
  );
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

/** Taps the native node inside a vant component the section gave an id. */
async function tap(s: Section, id: string, inner: string): Promise<void> {
  const node = s.querySelector(`#${id}`)?.querySelector(inner);
  if (!node) throw new Error(`no ${inner} inside #${id}`);
  node.dispatchEvent('tap');
  await settle();
}

/** Own text of the elements with a class (simulate scopes classes by the owning tag). */
function texts(s: Section, scope: string, className: string): string[] {
  return Array.from((s.dom as HTMLElement).querySelectorAll(`.${scope}--${className}`))
    .map((el) => (el.textContent ?? '').trim())
    .filter(Boolean);
}

/** Types into the van-field's native input. */
async function typeCity(s: Section, value: string): Promise<void> {
  const nodes = s.querySelector('#rs-share-city')?.querySelectorAll('.van-field__control') ?? [];
  const input = nodes.find((n) => (n.dom as HTMLElement).tagName === 'WX-INPUT');
  if (!input) throw new Error('no input inside #rs-share-city');
  input.dispatchEvent('input', { detail: { value } });
  await settle();
}

async function unfold(s: Section): Promise<void> {
  await tap(s, 'rs-share-toggle', '.van-cell');
}

describe('me page: 广告偏好 section', () => {
  it('is part of the me page', () => {
    expect(pageJson.usingComponents).toMatchObject({ 'rs-demographics': './demographics/index' });
  });

  it('sends nothing until unfolded, then shows what is shared', async () => {
    const calls = stubApi(
      answer('demographics.get', { gender: 'female', ageBand: '25-34', city: '成都' }),
    );
    const s = open();
    await settle();
    expect(calls).toEqual([]);
    expect(s.querySelector('#rs-share-save')).toBeFalsy();

    await unfold(s);
    expect(calls).toEqual([{ action: 'demographics.get' }]);
    expect(s.instance.data.form).toEqual({ gender: 'female', ageBand: '25-34', city: '成都' });
    expect(texts(s, 'van-cell', 'van-cell__value')).toContain('25-34 岁');
    // The checked radio is 女; the note says why and that it can be withdrawn.
    const checked = ['male', 'female', 'none'].map((g) =>
      Boolean(s.querySelector(`#rs-share-${g}`)?.querySelector('.van-radio__icon--checked')),
    );
    expect(checked).toEqual([false, true, false]);
    expect(texts(s, 'rs-demographics', 'rs-share__note').join('')).toMatch(
      /不分享不影响使用.*可随时修改或撤回/,
    );
    expect(s.querySelector('#rs-share-clear')).toBeTruthy();

    // Folding and unfolding again does not load again.
    await unfold(s);
    await unfold(s);
    expect(calls).toHaveLength(1);
  });

  it('shares what is chosen with the radio, the picker and the field, and shows the answer', async () => {
    const calls = stubApi(
      answer('demographics.get', {}),
      answer('demographics.set', { gender: 'male', ageBand: '35-44', city: '重庆' }),
    );
    const s = open();
    await unfold(s);
    expect(s.querySelector('#rs-share-clear')).toBeFalsy();

    // 男: what van-radio emits when tapped (a tap on its icon did not reach the handler in
    // simulate; the relations that blocked van-tabs now link, see test/miniprogram/helpers/vant.ts).
    const male = s.querySelector('#rs-share-male') as unknown as {
      instance: { triggerEvent(name: string, detail: unknown): void };
    };
    male.instance.triggerEvent('change', 'male');
    await settle();
    expect(s.instance.data.form.gender).toBe('male');

    // 年龄段: the cell opens the picker; scroll it to 35-44 and confirm.
    await tap(s, 'rs-share-age', '.van-cell');
    expect(s.instance.data.pickingAge).toBe(true);
    const picker = s.querySelector('#rs-share-age-picker') as unknown as {
      instance: { setColumnIndex(c: number, i: number): Promise<void> };
    } & Section;
    await picker.instance.setColumnIndex(0, 3);
    await tap(s, 'rs-share-age-picker', '.van-picker__confirm');
    expect(s.instance.data.pickingAge).toBe(false);
    expect(s.instance.data.form.ageBand).toBe('35-44');
    expect(texts(s, 'van-cell', 'van-cell__value')).toContain('35-44 岁');

    // 城市: typed into the field.
    await typeCity(s, ' 重庆 ');

    await tap(s, 'rs-share-save', '.van-button');
    expect(calls[1]).toEqual({
      action: 'demographics.set',
      gender: 'male',
      ageBand: '35-44',
      city: '重庆',
    });
    expect(texts(s, 'rs-demographics', 'rs-share__message')).toEqual(['已保存']);
    expect(s.querySelector('#rs-share-clear')).toBeTruthy();
  });

  it('撤回全部 withdraws everything and empties the form', async () => {
    const calls = stubApi(
      answer('demographics.get', { city: '成都' }),
      answer('demographics.clear', {}),
    );
    const s = open();
    await unfold(s);
    await tap(s, 'rs-share-clear', '.van-button');
    expect(calls[1]).toEqual({ action: 'demographics.clear' });
    expect(s.instance.data.form).toEqual({ gender: '', ageBand: '', city: '' });
    expect(texts(s, 'rs-demographics', 'rs-share__message')).toEqual([
      '已撤回，广告不再使用这些信息',
    ]);
    expect(s.querySelector('#rs-share-clear')).toBeFalsy();
  });

  it("refuses a city that is not a name without asking the server; shows the server's refusal", async () => {
    const calls = stubApi(
      answer('demographics.get', {}),
      new ApiError('FORBIDDEN', '请先同意隐私保护指引，再分享性别、年龄段或城市'),
    );
    const s = open();
    await unfold(s);
    await typeCity(s, '成都123');
    expect(texts(s, 'van-field', 'van-field__error-message')).toEqual(['请填写城市名，如 成都']);
    await tap(s, 'rs-share-save', '.van-button');
    expect(calls).toHaveLength(1);

    await typeCity(s, '成都');
    await tap(s, 'rs-share-save', '.van-button');
    expect(calls[1]).toEqual({ action: 'demographics.set', city: '成都' });
    expect(texts(s, 'rs-demographics', 'rs-share__message')).toEqual([
      '请先同意隐私保护指引，再分享性别、年龄段或城市',
    ]);
    expect(s.instance.data.saving).toBe(false);
  });

  it('a failed load says why; unfolding again retries', async () => {
    const calls = stubApi(
      new ApiError('NETWORK', '网络连接失败'),
      answer('demographics.get', { gender: 'male' }),
    );
    const s = open();
    await unfold(s);
    expect(texts(s, 'rs-demographics', 'rs-share__error')).toEqual(['网络连接失败']);
    await unfold(s);
    await unfold(s);
    expect(calls).toHaveLength(2);
    expect(s.instance.data.form.gender).toBe('male');
  });
});

describe('广告偏好 view', () => {
  it('sends only what is filled in, and withdraws when nothing is', () => {
    expect(saveRequest({ gender: '', ageBand: '', city: '  ' })).toEqual({
      action: 'demographics.clear',
    });
    expect(saveRequest({ gender: 'female', ageBand: '', city: ' 上海 ' })).toEqual({
      action: 'demographics.set',
      gender: 'female',
      city: '上海',
    });
  });

  it('maps picker rows to age bands (row 0: not shared) and checks cities', () => {
    expect([0, 1, 5, 6].map(ageAt)).toEqual(['', '18-24', '55+', '']);
    expect(ageIndexOf('45-54')).toBe(4);
    expect(ageIndexOf('')).toBe(0);
    expect(cityError('乌鲁木齐')).toBe('');
    expect(cityError('')).toBe('');
    expect(cityError('北'.repeat(33))).toMatch(/最多 32/);
    expect(cityError('$where')).toMatch(/城市名/);
  });
});
