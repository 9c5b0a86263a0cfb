/** The storage ports, bundled. Adapters are chosen in one place: server/adapters/<kind>/index.ts. */
import type { Ads } from './ads';
import type { BlobStore } from './blobs';
import type { Catalog } from './catalog';
import type { Counters } from './counters';
import type { EventLog } from './events';

export type { Ads } from './ads';
export type { BlobStore } from './blobs';
export type { Catalog, CatalogQuery } from './catalog';
export type { CounterDelta, Counters, CounterValues } from './counters';
export type { AppendResult, EventLog, EventPage, StoredEvent } from './events';

export interface Stores {
  events: EventLog;
  counters: Counters;
  catalog: Catalog;
  blobs: BlobStore;
  ads: Ads;
  close(): Promise<void>;
}
