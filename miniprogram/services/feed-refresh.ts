/**
 * Tells the feed that its cards no longer match a setting (personalised recommendations switched
 * on or off on 我的): the feed reloads its first page the next time it shows.
 */
let stale = false;

export function markFeedStale(): void {
  stale = true;
}

/** True once after markFeedStale: the caller reloads. */
export function takeFeedStale(): boolean {
  const was = stale;
  stale = false;
  return was;
}
