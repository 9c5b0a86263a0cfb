/**
 * Counts the auctions each ad won on a served page (adStats / <campaign> / <CST day>: `won` and
 * `won_p<position>`), the "requests won" of the merchant reports. A failure is logged and the
 * page still serves: a report that misses a win is better than a feed without ads.
 */
import { STATS, wonField } from '../engine/ads/counter-keys';
import { dayBucket } from '../engine/time';
import type { CounterDelta, SlateCard } from '../ports';
import type { FunctionContext } from '../runtime/function';

export async function recordWins(
  ctx: Pick<FunctionContext, 'stores' | 'log'>,
  slateCards: readonly SlateCard[],
  now: number,
): Promise<void> {
  const day = dayBucket(now);
  const deltas: CounterDelta[] = slateCards
    .filter((c) => c.adId !== undefined)
    .flatMap((c) => [
      { scope: STATS, id: c.adId!, bucket: day, field: 'won', by: 1 },
      { scope: STATS, id: c.adId!, bucket: day, field: wonField(c.position), by: 1 },
    ]);
  if (deltas.length === 0) return;
  try {
    await ctx.stores.counters.add(deltas);
  } catch (err) {
    ctx.log.error('ad wins not counted', {
      ads: slateCards.length,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
