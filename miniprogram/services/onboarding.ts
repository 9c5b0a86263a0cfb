/**
 * First launch (cold start): once the privacy consent is recorded on this device, the feed opens
 * 选择你感兴趣的内容 (pages/onboarding) once; what the user picks seeds their profile on the server
 * (`account` interests.set), and skipping is fine. Never over a page opened from a share, never
 * twice: a choice or a skip is remembered on the device, and the page can be reopened from 我的.
 */
import { isCollecting, type ConsentStorage } from './consent';

export const ONBOARDED_KEY = 'rs_onboarded';
export const ONBOARDING_URL = '/pages/onboarding/index';
const FEED_ROUTE = 'pages/feed/index';

/** Consent recorded here, collection on, and not chosen or skipped before. */
export function needsOnboarding(w: ConsentStorage): boolean {
  return w.getStorageSync(ONBOARDED_KEY) !== true && isCollecting(w);
}

export function markOnboarded(w: ConsentStorage): void {
  w.setStorageSync(ONBOARDED_KEY, true);
}

let openedThisLaunch = false;

/** The route of the page on top, '' when unknown (no page stack yet). */
function topRoute(): string {
  if (typeof getCurrentPages !== 'function') return '';
  const pages = getCurrentPages();
  return pages.length ? pages[pages.length - 1].route : '';
}

/**
 * Opens the onboarding page when it is due and the feed is what the user is looking at (also
 * right after the consent is recorded at launch). True when it opened it.
 */
export function maybeOnboard(
  w: ConsentStorage,
  navigate: (url: string) => void = (url) => void wx.navigateTo({ url }),
  route: () => string = topRoute,
): boolean {
  if (openedThisLaunch || !needsOnboarding(w) || route() !== FEED_ROUTE) return false;
  openedThisLaunch = true;
  navigate(ONBOARDING_URL);
  return true;
}

/** Tests: a new launch. */
export function resetOnboardingLaunch(): void {
  openedThisLaunch = false;
}
