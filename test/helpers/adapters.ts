/**
 * The adapters that function tests run on: the embedded one, and the cloud one through the real
 * wx-server-sdk over the in-memory transport (installed once per test file, on first use).
 */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import type { Stores } from '../../server/ports';
import { BLOBS } from '../../server/adapters/cloud/blob-store';
import { TEST_CLOUD_CONFIG, testCipher } from './blob-key';
import { installCloudTransport, type CloudTransport } from './cloud-transport';
import { uncovered } from './index-coverage';
import { openTempSqliteStores, type OpenedStores } from './sqlite-stores';

export type OpenStores = () => Promise<OpenedStores>;

let cloud: { sdk: Cloud; transport: CloudTransport } | undefined;

/** The in-memory cloud service of this test file, once a cloud store was opened (for fault injection). */
export const cloudTransport = (): CloudTransport | undefined => cloud?.transport;

// Every test file that runs the cloud adapter through this helper also checks, after its tests,
// that a declared index serves each query it sent (issue 21: a query without one sorts the
// collection's backlog on the real service). Outside jest (`npm run fuzz` imports this helper)
// there is no afterAll: the fuzz run checks nothing of the kind.
if (typeof afterAll === 'function')
  afterAll(() => {
    const missing = cloud ? uncovered(cloud.transport.db.shapes.values()) : [];
    if (missing.length > 0)
      throw new Error(
        `queries no declared index serves (add them to server/adapters/cloud/collections.ts):\n${missing.join('\n')}`,
      );
  });

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
  const stores = openCloudStores(cloud.sdk, TEST_CLOUD_CONFIG);
  const { db, storage } = cloud.transport;
  const dumpAll = async (): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const c of db.collectionNames()) out[c] = db.dump(c).map((d) => JSON.stringify(d));
    // Sealed blobs are read back as the functions see them, so scans cover what they hold.
    const sealed = new Map<string, string>();
    for (const d of db.collectionNames().includes(BLOBS) ? db.dump(BLOBS) : []) {
      const m = d as { key?: unknown; fileID?: unknown; sealed?: unknown };
      if (m.sealed === 1 && typeof m.key === 'string' && typeof m.fileID === 'string')
        sealed.set(m.fileID.slice(m.fileID.indexOf('/', 'cloud://'.length) + 1), m.key);
    }
    const cipher = testCipher();
    for (const p of storage.paths()) {
      const key = sealed.get(p);
      const bytes = storage.read(p)!;
      let text = bytes.toString('latin1');
      try {
        if (key !== undefined) text = Buffer.from(cipher.open(key, bytes)).toString('latin1');
      } catch {
        // A file a test changed in storage: kept as stored.
      }
      out[`blob:${key ?? p}`] = [text];
    }
    return out;
  };
  const publicFiles = async (): Promise<Record<string, string>> =>
    Object.fromEntries(storage.paths().map((p) => [p, storage.read(p)!.toString('latin1')]));
  // Writes are the requests that can change a document or a file (the transport logs each action).
  const WRITES =
    /^(database\.(insert|update|modify|delete|set|create|add|remove|commit)|storage\.)/i;
  let seen = 0;
  let writes = 0;
  const writeProbe = (): string => {
    const { actions } = cloud!.transport;
    // The log was emptied (a store opened meanwhile): count that as a change.
    if (seen > actions.length) [seen, writes] = [0, writes + 1];
    for (; seen < actions.length; seen++) if (WRITES.test(actions[seen]!)) writes++;
    return String(writes);
  };
  return { stores, cleanup: () => stores.close(), dumpAll, publicFiles, writeProbe };
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
  return {
    ...opened,
    db: transport.db,
    sdk,
    another: () => openCloudStores(sdk, TEST_CLOUD_CONFIG),
  };
}

/** [name, open] pairs for describe.each over both adapters. */
export const bothAdapters: [string, OpenStores][] = [
  ['sqlite', openTempSqliteStores],
  ['cloud', openTempCloudStores],
];
