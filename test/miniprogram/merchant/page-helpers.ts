/** Shared by the merchant page tests: a `merchant` client answering by request, page opening, text reading and taps. */
import * as simulate from 'miniprogram-simulate';
import type { MerchantRequest, MerchantResponse } from '../../../typings';
import { stubFunction } from '../helpers/stub-api';
import { texts as ownTexts } from '../helpers/texts';
import { expectExperience } from '../helpers/experience';
import { modalAnswer } from '../helpers/modal';

export type Answer = MerchantResponse | Error | Promise<MerchantResponse>;

/** A stub client: every `merchant` call is recorded and answered by `answer(req)`; other functions fail the test. */
export function stubMerchant(answer: (req: MerchantRequest) => Answer): MerchantRequest[] {
  return stubFunction('merchant', answer);
}

type AnyObject = WechatMiniprogram.IAnyObject;
export type Page = Omit<simulate.RootComponent<AnyObject, AnyObject, AnyObject>, 'instance'> & {
  instance: AnyObject & { data: AnyObject; onLoad(query?: Record<string, string>): Promise<void> };
};

/** Renders and loads a page; its first screen is held to the experience-score rules (helpers/experience.ts). */
export async function open(componentId: string, query?: Record<string, string>): Promise<Page> {
  const page = simulate.render(componentId) as unknown as Page;
  page.attach(document.createElement('parent-wrapper'));
  await page.instance.onLoad(query);
  await settle();
  expectExperience(page, 5);
  return page;
}

/** Own text of the elements with a class; simulate scopes classes by the owning tag (`van-tag--van-tag`). */
export function texts(page: Page, scope: string, className: string): string[] {
  return ownTexts(page, scope, className);
}

/** Text of the elements with a class, children included: each text piece trimmed, joined by one space. */
export function fullTexts(page: Page, scope: string, className: string): string[] {
  const nodes = (page.dom as HTMLElement).querySelectorAll(`.${scope}--${className}`);
  const pieces = (n: Node): string[] =>
    n.nodeType === 3
      ? [(n.textContent ?? '').trim()].filter(Boolean)
      : Array.from(n.childNodes).flatMap(pieces);
  return Array.from(nodes).map((el) => pieces(el).join(' '));
}

/** Taps the element with an id, or a native node inside it (a vant component's root). */
export async function tap(
  page: Pick<Page, 'querySelector'>,
  id: string,
  inner?: string,
): Promise<void> {
  const host = page.querySelector(`#${id}`);
  const node = inner ? host?.querySelector(inner) : host;
  if (!node) throw new Error(`no ${inner ?? 'element'} in #${id}`);
  node.dispatchEvent('tap');
  await simulate.sleep(0);
  await settle();
}

/** Types into a van-field's own input, as a person would. */
export async function type(
  page: Pick<Page, 'querySelector'>,
  id: string,
  value: string,
): Promise<void> {
  // The first .van-field__control is the (empty) custom-input slot's wrapper; the input or textarea comes last.
  const controls = page.querySelector(`#${id}`)?.querySelectorAll('.van-field__control') ?? [];
  const control = controls[controls.length - 1];
  if (!control) throw new Error(`no input in #${id}`);
  control.dispatchEvent('input', { detail: { value } });
  await settle();
}

/** Lets the page's awaited promises settle (each API answer is one microtask hop or more). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/** wx.showModal answering confirm / cancel, and recording what it asked. */
export function answerModal(confirm: boolean): jest.SpyInstance {
  return jest.spyOn(wx, 'showModal').mockImplementation(modalAnswer(() => confirm));
}
