/** What the shared-attributes section shows and sends: pure, so the component only calls setData. */
import type { AccountRequest, AgeBand, Demographics } from '../../../../typings';
import { AGE_BANDS, ageBandLabel } from '../../../services/audience';

export { AGE_BANDS };
/** The age picker's column: "not shared" first, then the bands. */
export const AGE_COLUMN: readonly string[] = ['不分享', ...AGE_BANDS.map(ageBandLabel)];
/** The longest city name the server accepts. */
export const CITY_MAX = 32;

/** The form as the section holds it: '' means "not shared". */
export interface ShareForm {
  gender: '' | 'male' | 'female';
  ageBand: '' | AgeBand;
  city: string;
}

export const EMPTY_FORM: ShareForm = { gender: '', ageBand: '', city: '' };

export function formOf(d: Demographics): ShareForm {
  return { gender: d.gender ?? '', ageBand: d.ageBand ?? '', city: d.city ?? '' };
}

/** The age band shown on the cell. */
export function ageLabel(band: ShareForm['ageBand']): string {
  return band ? `${band} 岁` : '不分享';
}

/** The picker's row (0: not shared) ↔ the band. */
export const ageIndexOf = (band: ShareForm['ageBand']): number =>
  band ? AGE_BANDS.indexOf(band) + 1 : 0;
export const ageAt = (index: number): ShareForm['ageBand'] => AGE_BANDS[index - 1] ?? '';

/** A message for a city the server would refuse, or '' when it is fine (or empty). */
export function cityError(city: string): string {
  const c = city.trim();
  if (!c) return '';
  if (c.length > CITY_MAX) return `城市最多 ${CITY_MAX} 个字`;
  // Digits and ASCII symbols are never part of a city name (the server checks the rest).
  if (/[\d!"#$%&()*+,./:;<=>?@[\\\]^_`{|}~]/.test(c)) return '请填写城市名，如 成都';
  return '';
}

/** Saving the form: what is filled in is shared; nothing filled in withdraws everything. */
export function saveRequest(f: ShareForm): AccountRequest {
  const city = f.city.trim();
  if (!f.gender && !f.ageBand && !city) return { action: 'demographics.clear' };
  return {
    action: 'demographics.set',
    ...(f.gender ? { gender: f.gender } : {}),
    ...(f.ageBand ? { ageBand: f.ageBand } : {}),
    ...(city ? { city } : {}),
  };
}

export const isEmpty = (d: Demographics): boolean => !d.gender && !d.ageBand && !d.city;
