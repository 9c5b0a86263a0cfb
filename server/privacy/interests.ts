/**
 * The `account` actions interests.* (cold start): the catalog categories a user picks in
 * 选择你感兴趣的内容 at first launch, kept in the account settings beside the shared demographics
 * and the risk assessment — so they are exported and erased with them, withdrawn with consent,
 * and read by `recommend` in its one settings read, where they seed a cold profile
 * (server/engine/profiles/seed.ts). Choosing needs a granted consent: it is personal information
 * used to personalise the feed.
 */
import type { ChosenInterestsView } from '../../typings';
import { forbidden } from '../errors';
import type { Stores } from '../ports';

export async function chosenInterestsOf(
  stores: Stores,
  openid: string,
): Promise<ChosenInterestsView | null> {
  const i = (await stores.privacy.getSettings(openid))?.interests;
  return i ? { categories: [...i.categories], at: i.at } : null;
}

/** Replaces the choice; an empty list withdraws it (allowed without consent: it only deletes). */
export async function chooseInterests(
  stores: Stores,
  openid: string,
  categories: string[],
  now: number,
): Promise<ChosenInterestsView | null> {
  if (categories.length === 0) return clearInterests(stores, openid, now);
  const settings = await stores.privacy.getSettings(openid);
  if (!settings?.consent?.granted)
    throw forbidden(
      '请先同意隐私保护指引，再选择感兴趣的内容 (consent to the privacy notice first)',
    );
  await stores.privacy.setChosenInterests(openid, { categories, at: now }, now);
  return chosenInterestsOf(stores, openid);
}

export async function clearInterests(stores: Stores, openid: string, now: number): Promise<null> {
  if ((await stores.privacy.getSettings(openid))?.interests)
    await stores.privacy.setChosenInterests(openid, null, now);
  return null;
}
