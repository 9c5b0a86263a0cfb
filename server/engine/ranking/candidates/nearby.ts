/**
 * Place candidates (旅游出行): items with a place near one of the request's anchors — where the
 * user is (a location they chose to share for this request) or where they plan to go (a
 * destination city). An item scores exp(−d / scaleKm) for its nearest anchor within radiusKm,
 * so a walkable sight outranks one an hour's drive away, and items further than radiusKm are
 * not candidates at all. Distances are great-circle (haversine) on a spherical Earth, which is
 * within 0.5 % of the ellipsoid — far finer than a recommendation needs.
 */
import { cityKey } from '../../city';
import { bestK, type ItemIndex, type Scored } from '../item-index';

export interface GeoPoint {
  lat: number;
  lng: number;
}

export interface NearbyParams {
  /** Distance at which an item's score falls to 1/e. */
  scaleKm: number;
  /** Items further than this from every anchor are not candidates. */
  radiusKm: number;
}

export const DEFAULT_NEARBY: NearbyParams = { scaleKm: 25, radiusKm: 200 };

const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number): number => (deg * Math.PI) / 180;

/** Great-circle distance in km (the haversine formula; Sinnott 1984, "Virtues of the Haversine"). */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function nearbySource(
  index: ItemIndex,
  anchors: readonly GeoPoint[],
  k: number,
  allowed: (i: number) => boolean,
  params: NearbyParams = DEFAULT_NEARBY,
): Scored {
  const scores: Scored = new Map();
  if (anchors.length === 0) return scores;
  for (const i of index.placed) {
    if (!allowed(i)) continue;
    const place = index.items[i].place!;
    let d = Infinity;
    for (const a of anchors) d = Math.min(d, distanceKm(a, place));
    if (d <= params.radiusKm) scores.set(i, Math.exp(-d / params.scaleKm));
  }
  if (scores.size <= k) return scores;
  const ids = [...scores.keys()];
  const dense = new Float64Array(index.size);
  for (const [i, s] of scores) dense[i] = s;
  return new Map(bestK(ids, dense, k).map((i) => [i, scores.get(i)!]));
}

/**
 * A destination city's anchor: the centre of the catalog's placed items in that city (a
 * trailing 市 ignored, as in ad targeting), or null when the catalog has none there.
 */
export function cityAnchor(index: ItemIndex, city: string): GeoPoint | null {
  const want = cityKey(city);
  let lat = 0;
  let lng = 0;
  let n = 0;
  for (const i of index.placed) {
    const p = index.items[i].place!;
    if (cityKey(p.city) !== want) continue;
    lat += p.lat;
    lng += p.lng;
    n++;
  }
  return n ? { lat: lat / n, lng: lng / n } : null;
}
