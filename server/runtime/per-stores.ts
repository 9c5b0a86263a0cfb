/**
 * Warm-instance state kept per store bundle: module scope survives between invocations of a
 * warm instance, and keying on the Stores object keeps tests (a fresh bundle each) apart.
 */
import type { Stores } from '../ports';

/** The value for a store bundle, made by `make` on first use and kept while the bundle lives. */
export function perStores<T>(make: () => T): (stores: Stores) => T {
  const values = new WeakMap<Stores, T>();
  return (stores) => {
    let v = values.get(stores);
    if (v === undefined) values.set(stores, (v = make()));
    return v;
  };
}
