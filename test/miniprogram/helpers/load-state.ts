/** Reaches into a page's `components/load-state` (placed with id="rs-page-state") as a person would. */
import * as simulate from 'miniprogram-simulate';

interface Node {
  querySelector(selector: string): Node | undefined;
  dispatchEvent(name: string): void;
}

/** vant's native button inside the state's retry (重新加载, or 重试 when offline), if shown. */
export function retryButton(page: { querySelector(selector: string): unknown }): Node | undefined {
  const state = page.querySelector('#rs-page-state') as Node | undefined;
  return state?.querySelector('#rs-load-state-retry')?.querySelector('.van-button');
}

/** Taps the retry and lets the page's load settle; fails the test when no retry is shown. */
export async function tapRetry(page: { querySelector(selector: string): unknown }): Promise<void> {
  const button = retryButton(page);
  if (!button) throw new Error('no retry button in #rs-page-state');
  button.dispatchEvent('tap');
  await simulate.sleep(0);
  for (let i = 0; i < 20; i++) await Promise.resolve(); // the load's chained awaits
}
