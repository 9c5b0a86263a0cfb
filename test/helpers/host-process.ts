/** Starts the local host (`tsx server/host/main.ts`) as a child process, as `npm start` does. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface HostRun {
  /** Resolves with the base URL at the host's "listening on" line. */
  url: Promise<string>;
  /** Resolves when the process ends. */
  exit: Promise<{ code: number | null; output: string }>;
  stop(): void;
  output(): string;
}

export function startHost(env: Record<string, string>): HostRun {
  const child = spawn(TSX, ['server/host/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ALLOW_REMOTE: '', SEED_DEMO: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exit = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, output: out })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then(({ code }) =>
      reject(new Error(`host exited (${code}) before listening:\n${out}`)),
    );
  });
  url.catch(() => undefined);
  return { url, exit, stop: () => child.kill('SIGTERM'), output: () => out };
}

/**
 * A host on a fresh data directory for the enclosing describe block: started in beforeAll,
 * stopped and its data removed in afterAll. Read `base` inside tests (it is set once started).
 */
export function hostForSuite(
  env: Record<string, string>,
  prefix = 'recsys-e2e-',
): { readonly base: string; readonly dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let host: HostRun | undefined;
  let base = '';
  beforeAll(async () => {
    host = startHost({ DATA_DIR: dataDir, ...env });
    base = await host.url;
  }, 30_000);
  afterAll(async () => {
    host?.stop();
    await host?.exit;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get base() {
      return base;
    },
    dataDir,
  };
}

/**
 * POSTs `body` to the host as `openid` (`url` under `base`, e.g. `/api/merchant`) and answers the
 * envelope's data, or throws with the refusal's code and message (which tests match on).
 */
export async function postAs(
  base: string,
  url: string,
  openid: string,
  body: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
): Promise<any> {
  const res = await fetch(`${base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-openid': openid },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as {
    ok: boolean;
    data?: unknown;
    code?: string;
    message?: string;
  };
  if (!json.ok)
    throw new Error(`${url} ${JSON.stringify(body).slice(0, 80)} → ${json.code}: ${json.message}`);
  return json.data;
}
