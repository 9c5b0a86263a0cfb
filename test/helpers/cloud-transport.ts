/**
 * Runs the real wx-server-sdk against in-memory services by replacing only its network
 * transport: the TCB API call (`request` in @cloudbase/node-sdk's tcbapirequester, which the
 * database requester's `send` and the storage control plane both go through) and the raw HTTP
 * call (`request` in request-core) that moves file bytes to and from COS.
 *
 * These are internal APIs of @cloudbase/node-sdk 3.17.2 (pinned by wx-server-sdk 4.0.2).
 * `installCloudTransport` checks the versions and the seams and fails loudly if they moved;
 * test/server/cloud-transport.test.ts pins the behaviour.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { MemoryDatabase, type Params, type ServiceReply } from './cloud-db-engine';
import { MemoryStorage } from './cloud-storage-engine';
import { WeChatPaySim, type SimTrade } from '../../server/adapters/wechat-pay-sim';
import { msgSecCheck, type MsgSecCheckAnswer } from '../../server/adapters/content-safety-sim';
import { SubscribeSim } from '../../server/adapters/subscribe-sim';
import { TEST_SUB_MCH_ID } from './blob-key';

export const PINNED = { 'wx-server-sdk': '4.0.2', '@cloudbase/node-sdk': '3.17.2' } as const;

type ApiRequest = (args: { params: Params }) => Promise<unknown>;
type HttpCallback = (
  err: Error | null,
  res?: { statusCode: number; headers: Record<string, string> },
  body?: Buffer,
) => void;
type HttpRequest = (opts: { method: string; url: string }, cb: HttpCallback) => Writable;

interface ApiModule {
  request: ApiRequest;
}
interface HttpModule {
  request: HttpRequest;
}
interface UtilsModule {
  processReturn(result: unknown): unknown;
  E(err: { code: unknown; message: string }): Error;
}

/**
 * A transport fault (docs/reliability.md): the request times out before the service sees it,
 * the gateway answers 5xx (not applied), or the service applies it and the answer is lost
 * (timeout after the write). Shaped as @cloudbase/node-sdk surfaces them: ESOCKETTIMEDOUT from
 * request-core, a TcbError whose code is the HTTP status from tcbapirequester.
 */
export type TransportFault = 'timeout' | '5xx' | 'applied-then-timeout';

/** Injected transport faults: for the next requests whose action matches, in order. */
export interface TransportFaults {
  /**
   * The next `times` requests matching `action` (a prefix such as 'database.', or '' for any)
   * meet `fault`, after `skip` matching ones pass untouched.
   */
  add(fault: TransportFault, action: string, times?: number, skip?: number): void;
  clear(): void;
  /** Requests that met a fault, by fault. */
  met: Record<TransportFault, number>;
}

export interface CloudTransport {
  db: MemoryDatabase;
  storage: MemoryStorage;
  /** Empties the database and the storage. */
  reset(): void;
  /** Puts the SDK's own transport back. */
  restore(): void;
  /** Every TCB API action the SDK sent, in order. */
  actions: string[];
  /** Every open-API call (cloud.openapi.*), with its decoded request data. */
  openapi: { api: string; data: Record<string, unknown> }[];
  /**
   * WeChat's subscribeMessage.send (server/adapters/subscribe-sim.ts): tests declare the account's
   * templates (`subscribe.templates.set(id, keys)`) and play the user's 允许 (`subscribe.accept`);
   * it refuses as WeChat does (40037, 47003, 43101).
   */
  subscribe: SubscribeSim;
  /** What WeChat answers the next open-API calls (default { errcode: 0, errmsg: 'ok' }; not security.msgSecCheck nor subscribeMessage.send, see `msgSecCheck` and `subscribe`). */
  openapiAnswer: { errcode: number; errmsg: string };
  /**
   * WeChat's open data behind cloudIDs (cloud.getOpenData, sent as the open-API call
   * `ApiGetOpenDataByCloudId`): only cloudIDs issued here resolve, only for the user they were
   * issued to (the caller is the invocation's WX_OPENID, as the runtime sets it) and only within
   * `ttlMs` of issue; anything else is refused with WeChat's code (-601005 invalid, -601006
   * expired, -601007 another user's).
   */
  openData: OpenDataService;
  /**
   * security.msgSecCheck, answered like WeChat: the simulation's rules
   * (server/adapters/content-safety-sim.ts) unless a test puts another answer here.
   */
  msgSecCheck: (data: Record<string, unknown>) => MsgSecCheckAnswer;
  /** Transport faults to inject (off until added). */
  faults: TransportFaults;
  /**
   * WeChat Pay behind cloud payments (cloud.cloudPay.*, sent as `wx.wxPayApi`): the same rules and
   * refusals as the local stand-in (server/adapters/wechat-pay-sim.ts), bound to TEST_SUB_MCH_ID.
   * Tests play the buyer with `pay.userPays(outTradeNo)`, which answers the notify to deliver.
   */
  pay: WeChatPaySim;
  /** Every cloud-payment call, with its snake_case request as WeChat Pay receives it. */
  payCalls: { api: string; data: Record<string, unknown> }[];
  /** Most TCB API requests in flight at once since the last reset (or resetPeak). */
  peakInFlight(): number;
  resetPeak(): void;
}

function transportFaults(): TransportFaults & {
  take(action: string): TransportFault | null;
} {
  const queue: { fault: TransportFault; action: string; left: number; skip: number }[] = [];
  const met: Record<TransportFault, number> = { timeout: 0, '5xx': 0, 'applied-then-timeout': 0 };
  return {
    met,
    add(fault, action, times = 1, skip = 0) {
      queue.push({ fault, action, left: times, skip });
    },
    clear() {
      queue.length = 0;
      for (const k of Object.keys(met) as TransportFault[]) met[k] = 0;
    },
    take(action) {
      const i = queue.findIndex((f) => action.startsWith(f.action));
      if (i < 0) return null;
      const f = queue[i]!;
      if (f.skip > 0) {
        f.skip--;
        return null;
      }
      if (--f.left <= 0) queue.splice(i, 1);
      met[f.fault]++;
      return f.fault;
    },
  };
}

/** What the transport plays of WeChat's open data. */
export interface OpenDataService {
  /** A share info's cloudID for a group open, as wx.getShareInfo hands the user one. */
  issueShareInfo(openid: string, openGId: string): string;
  /** A cloudID of other open data (微信运动), which resolves but names no group. */
  issueWeRun(openid: string): string;
  /** How long an issued cloudID resolves (an assumption of the stand-in: 5 minutes). */
  ttlMs: number;
}

/** Protobuf encoding, just what the open-data answer needs. */
function pbVarint(n: number | bigint): Buffer {
  // Negative int32 values are sign-extended to 64 bits, as protobuf encodes them.
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}
const pbBytes = (field: number, body: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return Buffer.concat([pbVarint((field << 3) | 2), pbVarint(b.length), b]);
};
const pbInt = (field: number, n: number): Buffer =>
  Buffer.concat([pbVarint(field << 3), pbVarint(n)]);

/** The cloudIDs of a getOpenData call (CommApiData → svrkitData (4) → reqData (2) → list (2)). */
function decodeCloudIds(raw: unknown): string[] {
  if (!Buffer.isBuffer(raw)) return [];
  const svrkit = fields(raw).get(4)?.[0];
  const req = svrkit ? fields(svrkit).get(2)?.[0] : undefined;
  return (req ? (fields(req).get(2) ?? []) : []).map((b) => b.toString('utf8'));
}

/** Reads a protobuf varint at i; returns [value, next index]. */
function varint(buf: Buffer, i: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const b = buf[i++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [v, i];
    shift += 7;
  }
}

/** The length-delimited fields of a protobuf message, by field number. */
function fields(buf: Buffer): Map<number, Buffer[]> {
  const out = new Map<number, Buffer[]>();
  let i = 0;
  while (i < buf.length) {
    let key: number;
    [key, i] = varint(buf, i);
    const wire = key & 7;
    if (wire === 0) {
      [, i] = varint(buf, i);
      continue;
    }
    if (wire !== 2) throw new Error(`cloud-transport: unexpected protobuf wire type ${wire}`);
    let len: number;
    [len, i] = varint(buf, i);
    const list = out.get(key >> 3) ?? [];
    list.push(buf.subarray(i, i + len));
    out.set(key >> 3, list);
    i += len;
  }
  return out;
}

/**
 * The request of an open-API call as wx-server-sdk 4.0.2 encodes it: field 2 holds the
 * parameters, each an entry { 1: name, 2: JSON value }.
 */
function decodeOpenApiRequest(raw: unknown): Record<string, unknown> {
  if (!Buffer.isBuffer(raw)) return {};
  const data: Record<string, unknown> = {};
  const body = fields(raw).get(2)?.[0];
  for (const entry of body ? (fields(body).get(1) ?? []) : []) {
    const f = fields(entry);
    data[f.get(1)![0].toString('utf8')] = JSON.parse(f.get(2)?.[0]?.toString('utf8') ?? 'null');
  }
  return data;
}

/** WeChat's answer as the SDK expects it: a CommOpenApiResp whose field 1 (respData) is the JSON. */
function encodeOpenApiResponse(answer: object): Buffer {
  const body = Buffer.from(JSON.stringify(answer));
  const len: number[] = [];
  for (let n = body.length; ; n >>>= 7) {
    if (n < 0x80) {
      len.push(n);
      break;
    }
    len.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...len]), body]);
}

function loadSeams(): { api: ApiModule; http: HttpModule; utils: UtilsModule } {
  for (const [pkg, version] of Object.entries(PINNED)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const actual = (require(`${pkg}/package.json`) as { version: string }).version;
    if (actual !== version) {
      throw new Error(
        `cloud-transport: ${pkg} is ${actual}, but the transport seams were checked against ${version}; re-verify them`,
      );
    }
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require('@cloudbase/node-sdk/dist/utils/tcbapirequester') as ApiModule;
  const http = require('@cloudbase/node-sdk/dist/utils/request-core') as HttpModule;
  const utils = require('@cloudbase/node-sdk/dist/utils/utils') as UtilsModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (
    typeof api.request !== 'function' ||
    typeof http.request !== 'function' ||
    typeof utils.processReturn !== 'function' ||
    typeof utils.E !== 'function'
  ) {
    throw new Error(
      'cloud-transport: @cloudbase/node-sdk internals moved (tcbapirequester.request / request-core.request / utils.processReturn)',
    );
  }
  return { api, http, utils };
}

/** Replaces the SDK's transport with in-memory services; call restore() (or keep it for the file). */
export function installCloudTransport(
  env = 'test-env',
  now: () => number = Date.now,
): CloudTransport {
  const { api, http, utils } = loadSeams();
  const db = new MemoryDatabase(env, now);
  const storage = new MemoryStorage(env);
  const actions: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const openapi: CloudTransport['openapi'] = [];
  const subscribe = new SubscribeSim();
  const trades = new Map<string, SimTrade>();
  const pay = new WeChatPaySim(
    { get: (no) => trades.get(no) ?? null, put: (t) => void trades.set(t.out_trade_no, t) },
    TEST_SUB_MCH_ID,
  );
  const payCalls: CloudTransport['payCalls'] = [];
  const issued = new Map<string, { openid: string; at: number; data: object }>();
  const issue = (openid: string, data: object): string => {
    const id = `${issued.size + 1}_${randomBytes(18).toString('base64url')}`;
    issued.set(id, { openid, at: now(), data });
    return id;
  };
  const openData: OpenDataService = {
    issueShareInfo: (openid, openGId) => issue(openid, { openGId }),
    issueWeRun: (openid) => issue(openid, { stepInfoList: [] }),
    ttlMs: 5 * 60_000,
  };
  /** CommOpenApiResp: the list (field 1) or WeChat's refusal (errorCode, field 3). */
  const answerOpenData = (ids: string[]): Buffer => {
    const caller = process.env.WX_OPENID ?? '';
    const items: Buffer[] = [];
    for (const id of ids) {
      const got = issued.get(id);
      const refusal = !got
        ? -601005
        : now() - got.at > openData.ttlMs
          ? -601006
          : got.openid !== caller
            ? -601007
            : 0;
      if (refusal) return pbInt(3, refusal);
      const json = JSON.stringify({
        cloudID: id,
        data: {
          ...got!.data,
          watermark: { appid: 'wx-test', timestamp: Math.floor(got!.at / 1000) },
        },
      });
      items.push(pbBytes(1, Buffer.concat([pbBytes(1, id), pbBytes(2, json)])));
    }
    return pbBytes(1, Buffer.concat(items));
  };
  const originalApi = api.request;
  const originalHttp = http.request;
  const faults = transportFaults();
  const timeout = (): Error =>
    Object.assign(new Error('ESOCKETTIMEDOUT'), { code: 'ESOCKETTIMEDOUT', connect: false });

  api.request = async ({ params }) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    try {
      // Let concurrent callers interleave the way independent network round trips do.
      await new Promise((resolve) => setImmediate(resolve));
      const action = String(params.action);
      actions.push(action);
      const fault = faults.take(action);
      if (fault === 'timeout') throw timeout();
      if (fault === '5xx') throw utils.E({ code: 502, message: '502 Bad Gateway | [tcb-api]' });
      if (action === 'wx.openApi' && params.apiName === 'ApiGetOpenDataByCloudId') {
        return answerOpenData(decodeCloudIds(params.requestData));
      }
      if (action === 'wx.openApi') {
        const call = {
          api: String(params.apiName),
          data: decodeOpenApiRequest(params.requestData),
        };
        openapi.push(call);
        if (call.api === 'subscribeMessage.send')
          return encodeOpenApiResponse(subscribe.send(call.data));
        return encodeOpenApiResponse(
          call.api === 'security.msgSecCheck'
            ? transport.msgSecCheck(call.data)
            : transport.openapiAnswer,
        );
      }
      if (action === 'wx.wxPayApi') {
        // wx-server-sdk sends the camelCase call snake_cased as JSON bytes; WeChat Pay answers
        // JSON bytes, which the SDK camel-cases (and stamps errCode 0 over WeChat's err_code).
        const data = JSON.parse(
          Buffer.from(params.requestData as Buffer).toString('utf8'),
        ) as Record<string, unknown>;
        payCalls.push({ api: String(params.apiName), data });
        const answer = pay.call(String(params.apiName), data);
        if (fault === 'applied-then-timeout') throw timeout();
        return Buffer.from(JSON.stringify(answer));
      }
      let reply: ServiceReply;
      if (action.startsWith('database.')) reply = db.handle(action, params);
      else if (action.startsWith('storage.')) reply = storage.handle(action, params);
      else throw new Error(`cloud-transport: no in-memory service for ${action}`);
      if (fault === 'applied-then-timeout') throw timeout();
      // What the real `request` does with a service error: throw a TcbError (throwOnCode).
      return reply.code ? utils.processReturn(reply) : reply;
    } finally {
      inFlight -= 1;
    }
  };

  http.request = (opts, cb) => {
    const chunks: Buffer[] = [];
    const respond = (): void => {
      try {
        const res = storage.http(opts.method, opts.url, Buffer.concat(chunks));
        cb(null, { statusCode: res.statusCode, headers: {} }, res.body);
      } catch (err) {
        cb(err as Error);
      }
    };
    const req = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    // Uploads pipe the body in (and end it); downloads send no body.
    if (opts.method.toLowerCase() === 'put') req.on('finish', () => setImmediate(respond));
    else setImmediate(respond);
    return req;
  };

  const transport: CloudTransport = {
    db,
    storage,
    actions,
    faults,
    peakInFlight: () => peak,
    resetPeak: () => {
      peak = inFlight;
    },
    openapi,
    openapiAnswer: { errcode: 0, errmsg: 'ok' },
    msgSecCheck,
    subscribe,
    pay,
    payCalls,
    openData,
    reset() {
      db.reset();
      storage.reset();
      actions.length = 0;
      faults.clear();
      peak = inFlight;
      openapi.length = 0;
      subscribe.reset();
      trades.clear();
      payCalls.length = 0;
      issued.clear();
      transport.openapiAnswer = { errcode: 0, errmsg: 'ok' };
      transport.msgSecCheck = msgSecCheck;
    },
    restore() {
      api.request = originalApi;
      http.request = originalHttp;
    },
  };
  return transport;
}
