/** The adapters function tests run on: the embedded one always, the cloud one through the real SDK. */
import type { OpenedStores } from './sqlite-stores';

export type OpenStores = () => Promise<OpenedStores>;

export function trackAdapters(sqlite: OpenStores): [string, OpenStores][] {
  return [['sqlite', sqlite]];
}
