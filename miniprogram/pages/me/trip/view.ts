/** What the trip section shows of a trip, as pure functions (unit-testable without a page). */
import type { TripView } from '../../../../typings';

/** "3 项 · 成都、杭州", or that it is empty. */
export function tripSummary(t: TripView): string {
  if (!t.entries.length) return '还没有行程';
  return `${t.entries.length} 项 · ${t.cities.join('、')}`;
}
