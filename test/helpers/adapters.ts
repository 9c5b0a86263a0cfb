/**
 * The adapters that function tests run on: the embedded one, and the cloud one through the real
 * wx-server-sdk over the in-memory transport (installed once per test file, on first use).
 */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import type { Stores } from '../../server/ports';
import { installCloudTransport, type CloudTransport } from './cloud-transport';
import { openTempSqliteStores, type OpenedStores } from './sqlite-stores';

export type OpenStores = () => Promise<OpenedStores>;

let cloud: { sdk: Cloud; transport: CloudTransport } | undefined;

/** The cloud adapter on a fresh in-memory service each time. */
export const openTempCloudStores: OpenStores = async () => {
  if (!cloud) {
    const transport = installCloudTransport();
    // Required after the transport is installed, from the same module registry as its seams.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require('wx-server-sdk') as Cloud;
    sdk.init({ env: 'test-env' });
    cloud = { sdk, transport };
  }
  cloud.transport.reset();
  const stores = openCloudStores(cloud.sdk, { cloudEnv: '' });
  const { db, storage } = cloud.transport;
  const dumpAll = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const c of db.collectionNames()) out[c] = db.dump(c).map((d) => JSON.stringify(d));
    for (const p of storage.paths()) out[`blob:${p}`] = [storage.read(p)!.toString('latin1')];
    return out;
  };
  return { stores, cleanup: () => stores.close(), dumpAll };
};

export interface FreshCloud extends OpenedStores {
  /** The in-memory service: collections, action log, injected faults. */
  db: CloudTransport['db'];
  sdk: Cloud;
  /** Another instance's stores (a second cold start) on the same service. */
  another(): Stores;
}

/**
 * The cloud adapter on a fresh WeChat cloud environment: no collection exists until created,
 * and a request to a missing one fails as on the real service (see server/adapters/cloud/first-use.ts).
 */
export async function openFreshCloudEnvironment(): Promise<FreshCloud> {
  const opened = await openTempCloudStores();
  const { sdk, transport } = cloud!;
  transport.db.requireCreatedCollections();
  return { ...opened, db: transport.db, sdk, another: () => openCloudStores(sdk, { cloudEnv: '' }) };
}

/** [name, open] pairs for describe.each over both adapters. */
export const bothAdapters: [string, OpenStores][] = [
  ['sqlite', openTempSqliteStores],
  ['cloud', openTempCloudStores],
];
