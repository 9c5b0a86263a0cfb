/** Test doubles for the tracker: wx storage + privacy + app-hide, and a server whose answers the test controls. */
import type { TrackRequest, TrackResponse } from '../../../typings';
import type { TrackerWx } from '../../../miniprogram/services/tracker';

export interface FakeWx extends TrackerWx {
  store: Map<string, string>;
  /** Makes setStorageSync throw, as wx does when storage is full. */
  storageFull: boolean;
  /** Calls every listener registered with onAppHide. */
  hideApp(): void;
  /** Calls every listener registered with onNetworkStatusChange. */
  network(isConnected: boolean): void;
  /** Answers a pending getPrivacySetting call (when created with privacy: 'manual'). */
  answerPrivacy(needAuthorization: boolean): void;
}

export interface FakeWxOptions {
  /** 'agreed' answers needAuthorization:false at once, 'needed' true, 'manual' waits, 'absent' has no API. */
  privacy?: 'agreed' | 'needed' | 'manual' | 'absent';
  /** Share storage with an earlier fake: a restart of the same device. */
  store?: Map<string, string>;
}

export function createFakeWx({
  privacy = 'agreed',
  store = new Map(),
}: FakeWxOptions = {}): FakeWx {
  const hideListeners: Array<() => void> = [];
  const networkListeners: Array<(res: { isConnected: boolean }) => void> = [];
  let pendingPrivacy: ((res: { needAuthorization: boolean }) => void) | undefined;
  const fake: FakeWx = {
    store,
    storageFull: false,
    // wx storage keeps a serialised copy and answers '' for a missing key.
    getStorageSync: (key) => (store.has(key) ? JSON.parse(store.get(key) as string) : ''),
    setStorageSync: (key, data) => {
      if (fake.storageFull) throw new Error('setStorageSync:fail exceed storage max size 10M');
      store.set(key, JSON.stringify(data));
    },
    removeStorageSync: (key) => {
      store.delete(key);
    },
    onAppHide: (listener) => {
      hideListeners.push(listener);
    },
    hideApp: () => hideListeners.forEach((l) => l()),
    onNetworkStatusChange: (listener) => {
      networkListeners.push(listener);
    },
    network: (isConnected) => networkListeners.forEach((l) => l({ isConnected })),
    answerPrivacy: (needAuthorization) => pendingPrivacy?.({ needAuthorization }),
  };
  if (privacy !== 'absent') {
    fake.getPrivacySetting = ({ success }) => {
      if (privacy === 'manual') pendingPrivacy = success;
      else success({ needAuthorization: privacy === 'needed' });
    };
  }
  return fake;
}

export interface SentBatch {
  req: TrackRequest;
  resolve(res?: TrackResponse): void;
  reject(err: unknown): void;
}

/** A transport whose every call waits until the test resolves or rejects it. */
export function createFakeServer() {
  const batches: SentBatch[] = [];
  const send = jest.fn(
    (req: TrackRequest) =>
      new Promise<TrackResponse>((resolve, reject) => {
        // Snapshot the request: the tracker must not rely on it staying untouched.
        const copy = JSON.parse(JSON.stringify(req)) as TrackRequest;
        batches.push({ req: copy, resolve: (res) => resolve(res ?? acceptAll(copy)), reject });
      }),
  );
  return { send, batches, last: () => batches[batches.length - 1] };
}

export function acceptAll(req: TrackRequest): TrackResponse {
  return { accepted: req.events.map((e) => e.eventId), duplicates: [], rejected: [] };
}

/** An ApiError-shaped failure, as services/api.ts throws. */
export function apiError(code: string): Error & { code: string } {
  return Object.assign(new Error(code), { name: 'ApiError', code });
}

/** Reproducible, distinct ids: each call's bytes end with a running counter. */
export function counterBytes(start = 0) {
  let calls = start;
  return (n: number) => {
    const bytes = new Uint8Array(n);
    new DataView(bytes.buffer).setUint32(n - 4, ++calls);
    return bytes;
  };
}
