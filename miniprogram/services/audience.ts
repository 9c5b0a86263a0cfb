/** The audience vocabulary the pages share: age bands a campaign may target and a user may share. */
import type { AgeBand } from '../../typings';

/** Youngest first; the server holds the same list (server/engine/ads/targeting.ts). */
export const AGE_BANDS: readonly AgeBand[] = ['18-24', '25-34', '35-44', '45-54', '55+'];

/** "25-34 岁", "55 岁以上". */
export const ageBandLabel = (band: AgeBand): string =>
  band === '55+' ? '55 岁以上' : `${band} 岁`;
