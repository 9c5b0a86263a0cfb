/** The embedded adapter: SQLite (better-sqlite3) for records, local files for blobs. */
import { LocalContentSafety } from './local-content-safety';
import path from 'node:path';
import type { Config } from '../../config';
import type { Stores } from '../../ports';
import { LocalAdImages } from './ad-images';
import { SqliteAds } from './ads';
import { SqliteCatalog } from './catalog';
import { SqliteComments } from './comments';
import { SqliteCounters } from './counters';
import { SqliteCustomerService } from './customer-service';
import { openDatabase, startWalCheckpoints, type OpenOptions, type WalCheckpoints } from './db';
import { SqliteEventLog } from './event-log';
import { SqliteExperimentStore } from './experiments';
import { SqliteFaqEntries, SqliteSupportAsks } from './faq';
import { FileBlobStore } from './file-blobs';
import { SqliteLikes } from './likes';
import { SqliteTrips } from './trips';
import { SqliteCheckpoints, SqliteLeases } from './checkpoints';
import { SqliteMerchantDirectory } from './merchants';
import { SqliteModelRegistry } from './models';
import { SqliteItemNeighbours, SqliteUserProfiles } from './profiles';
import { SqliteSlateLog } from './slates';
import { SqliteSocial } from './social';
import { LocalPay } from './local-pay';
import { LocalOpenData } from './local-open-data';
import { LocalSubscribeMessages } from './local-subscribe';
import { SqliteSubscriptions } from './subscriptions';
import { SqliteOrders } from './orders';
import { SqlitePersonalData } from './personal-data';
import { SqlitePrivacyStore } from './privacy';
import { SqliteRollups } from './rollups';
import { SqliteSearchQueries } from './search-queries';
import { searcherKeyOf, type SearcherKeyConfig } from '../searcher-key';

export { StorageOpenError, type WalCheckpoints } from './db';

/** Opens (creating and migrating if needed) the stores under a data directory. */
/** How the stores open: the database's options, and the subscription templates the local stand-in knows. */
export interface StoreOptions extends OpenOptions {
  subscribeTemplates?: Config['subscribeTemplates'];
  /** The identifier key that search-query rows name their users under (the development key when absent). */
  identifiers?: SearcherKeyConfig;
}

export function openSqliteStoresAt(
  dbFile: string,
  blobDir: string,
  opts: StoreOptions = {},
): Stores {
  const db = openDatabase(dbFile, opts);
  const blobs = new FileBlobStore(blobDir);
  const searcherKey = searcherKeyOf(opts.identifiers ?? {});
  return {
    events: new SqliteEventLog(db),
    counters: new SqliteCounters(db),
    catalog: new SqliteCatalog(db),
    blobs,
    adImages: new LocalAdImages(blobs),
    ads: new SqliteAds(db),
    slates: new SqliteSlateLog(db),
    rollups: new SqliteRollups(db),
    profiles: new SqliteUserProfiles(db),
    neighbours: new SqliteItemNeighbours(db),
    models: new SqliteModelRegistry(db),
    checkpoints: new SqliteCheckpoints(db),
    leases: new SqliteLeases(db),
    privacy: new SqlitePrivacyStore(db),
    personal: new SqlitePersonalData(db, searcherKey),
    searchQueries: new SqliteSearchQueries(db, searcherKey),
    merchants: new SqliteMerchantDirectory(db),
    experiments: new SqliteExperimentStore(db),
    comments: new SqliteComments(db),
    likes: new SqliteLikes(db),
    subscriptions: new SqliteSubscriptions(db),
    subscribeMessages: new LocalSubscribeMessages(db, opts.subscribeTemplates),
    trips: new SqliteTrips(db),
    faq: new SqliteFaqEntries(db),
    asks: new SqliteSupportAsks(db),
    contentSafety: new LocalContentSafety(),
    customerService: new SqliteCustomerService(db),
    social: new SqliteSocial(db),
    orders: new SqliteOrders(db),
    payments: new LocalPay(db),
    openData: new LocalOpenData(),
    close: async () => {
      db.close();
    },
  };
}

const databaseFile = (config: Pick<Config, 'dataDir'>): string =>
  path.join(config.dataDir, 'recsys.sqlite');

export function openSqliteStores(
  config: Pick<Config, 'dataDir'> &
    Partial<Pick<Config, 'subscribeTemplates' | 'identifierKey' | 'blobEncryptionKey'>>,
  opts: OpenOptions = {},
): Stores {
  return openSqliteStoresAt(databaseFile(config), path.join(config.dataDir, 'blobs'), {
    ...opts,
    subscribeTemplates: config.subscribeTemplates,
    identifiers: {
      identifierKey: config.identifierKey,
      blobEncryptionKey: config.blobEncryptionKey,
    },
  });
}

/** The primary's WAL checkpoints for workers that open with autoCheckpoint false (db.ts). */
export const startCheckpoints = (
  config: Pick<Config, 'dataDir'>,
  everyMs?: number,
): WalCheckpoints => startWalCheckpoints(databaseFile(config), everyMs);
