/**
 * The local HTTP host: POST /api/<function> runs the same handlers as the cloud, with identity
 * from the x-openid header (local mode only) and every answer in the { ok, ... } envelope.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { FunctionName } from '../../typings';
import { toHandler, type Deps, type FunctionDef, type Handler } from '../runtime/function';
import { fail, HTTP_STATUS } from './http-errors';
import { refusal } from './request-guard';
import { uploadRoutes } from './uploads';
import { connectLocalPay, localPayRoutes } from './local-pay';

/** Any function definition, as held by a registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunctionDef = FunctionDef<any>;
export type FunctionRegistry = Readonly<Partial<Record<FunctionName, AnyFunctionDef>>>;

export interface HostOptions {
  deps: Deps;
  functions: FunctionRegistry;
  /** Shown by GET /. */
  name: string;
  version: string;
}

export function createHost(opts: HostOptions): FastifyInstance {
  const { deps } = opts;
  const app = Fastify({ logger: false, bodyLimit: deps.config.maxBodyBytes });
  const handlers = new Map<string, Handler>();
  for (const [name, def] of Object.entries(opts.functions))
    if (def) handlers.set(name, toHandler(def));

  // Every body is read as JSON whatever its content type (curl's -d sends form encoding);
  // fastify's own parser rejects __proto__ / constructor poisoning.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  // Before any route (uploads and files included): who may call at all (request-guard.ts).
  app.addHook('onRequest', async (req, reply) => {
    const one = (v: string | string[] | undefined): string | undefined =>
      Array.isArray(v) ? v[0] : v;
    const why = refusal(
      {
        host: one(req.headers.host),
        origin: one(req.headers.origin),
        secFetchSite: one(req.headers['sec-fetch-site']),
        peer: req.socket.remoteAddress,
      },
      deps.config.allowRemote,
    );
    if (why) return fail(reply, 'FORBIDDEN', why);
  });

  app.get('/', async () => ({
    ok: true,
    data: { name: opts.name, version: opts.version, functions: [...handlers.keys()] },
  }));

  app.post<{ Params: { fn: string } }>('/api/:fn', async (req, reply) => {
    const handler = handlers.get(req.params.fn);
    if (!handler) return fail(reply, 'UNKNOWN_FUNCTION', `没有这个云函数：${req.params.fn}`);
    // Local mode only: the caller's identity is whatever the x-openid header says.
    const header = req.headers['x-openid'];
    const result = await handler(
      { payload: req.body, openid: typeof header === 'string' ? header : undefined },
      deps,
    );
    return reply.code(result.ok ? 200 : HTTP_STATUS[result.code]).send(result);
  });

  // Ad images for the merchant editor (local mode's stand-in for cloud storage).
  void app.register(uploadRoutes(deps));

  // WeChat Pay's local stand-in: its notifies go to payNotify; the buyer pays at /local-pay/pay.
  if (connectLocalPay(deps, handlers.get('payNotify'))) localPayRoutes(app, deps);

  app.setNotFoundHandler((req, reply) =>
    fail(reply, 'NOT_FOUND', `没有这个地址：${req.method} ${req.url}（请用 POST /api/<函数名>）`),
  );

  // Errors raised before a handler runs (body parsing, limits) or by fastify itself.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return fail(
        reply,
        'PAYLOAD_TOO_LARGE',
        `请求体超过 ${Math.floor(deps.config.maxBodyBytes / 1024)} KB`,
      );
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      return fail(reply, 'BAD_REQUEST', '请求体必须是一个 JSON 对象');
    }
    deps.log.error('unhandled host error', {
      url: req.url,
      error: `${err.name}: ${err.message}`,
      stack: err.stack,
    });
    return fail(reply, 'INTERNAL', '服务出错了，请稍后重试');
  });

  if (deps.config.logRequests) {
    app.addHook('onResponse', async (req, reply) => {
      deps.log.info(`${req.method} ${req.url} ${reply.statusCode}`, {
        ms: Math.round(reply.elapsedTime),
      });
    });
  }

  return app;
}
