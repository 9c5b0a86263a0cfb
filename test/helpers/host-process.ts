/** Starts the local host (`tsx server/host/main.ts`) as a child process, as `npm start` does. */
import { spawn } from 'node:child_process';
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
    void exit.then(({ code }) => reject(new Error(`host exited (${code}) before listening:\n${out}`)));
  });
  url.catch(() => undefined);
  return { url, exit, stop: () => child.kill('SIGTERM'), output: () => out };
}
