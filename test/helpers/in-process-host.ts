/**
 * The local host in this process (fastify inject) over a temporary SQLite store, for host-level
 * tests that need no child process: start it in beforeAll, stop it in afterAll, and `call`
 * answers the envelope `POST /api/<fn>` gives (identity from `x-openid`, none without one).
 */
import { loadConfig } from '../../server/config';
import { functions } from '../../server/functions';
import { createHost } from '../../server/host/server';
import type { Stores } from '../../server/ports';
import { openTempSqliteStores, type OpenedStores } from './sqlite-stores';

export interface Envelope {
  ok: boolean;
  data?: Record<string, unknown>;
  code?: string;
}

export interface InProcessHost {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The store the host serves (after start). */
  stores(): Stores;
  call(fn: string, payload: object, openid?: string): Promise<Envelope>;
  /** `call`'s data, or throws `<fn>: <code>` when the call was refused. */
  post(fn: string, payload: object, openid?: string): Promise<Record<string, unknown>>;
}

/** `env`: configuration as the environment would give it; `now`: the host's clock. */
export function inProcessHost(env: Record<string, string>, now: () => number): InProcessHost {
  let opened: OpenedStores | undefined;
  let app: ReturnType<typeof createHost> | undefined;
  const call = async (fn: string, payload: object, openid?: string): Promise<Envelope> => {
    const res = await app!.inject({
      method: 'POST',
      url: `/api/${fn}`,
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-openid': openid } : {}) },
      payload: JSON.stringify(payload),
    });
    return res.json() as Envelope;
  };
  return {
    async start() {
      opened = await openTempSqliteStores();
      app = createHost({
        deps: {
          config: loadConfig(env, { dataDir: '/nonexistent' }),
          log: { info: () => undefined, error: () => undefined },
          now,
          stores: opened.stores,
        },
        functions,
        name: 'wechat-recsys',
        version: 'test',
      });
    },
    async stop() {
      await app?.close();
      await opened?.cleanup();
    },
    stores: () => opened!.stores,
    call,
    async post(fn, payload, openid) {
      const body = await call(fn, payload, openid);
      if (!body.ok) throw new Error(`${fn}: ${body.code}`);
      return body.data as Record<string, unknown>;
    },
  };
}
