/**
 * `npm run bench:serve`: latency of one recommendation (20 content cards + ads in their slots)
 * over a 10,000-item catalog and 200 campaigns, (a) in-process, the handler called directly on
 * SQLite stores, and (b) through the local host in its own process (as `npm start` runs it) with
 * 1 and 32 concurrent clients. The world is seeded from a fixed seed (bench/serve/world.ts):
 * personalised users with profiles and recent engagement, cold-start users, a promoted model.
 * Targets (issue 5): in-process p99 ≤ 10 ms; through the host p99 ≤ 30 ms at 32 clients.
 *
 * The host runs as `HOST_WORKERS=2 npm start` does (a primary and two cluster workers on one
 * port, server/host/main.ts); `--workers 1` measures the single-process host.
 *
 * `--sweep` adds host rows at 4, 8 and 16 clients (where the 30 ms p99 holds and where it stops).
 *
 * Usage: npm run bench:serve [-- --json] [-- --requests 3000] [-- --seconds 15] [-- --workers 2] [-- --in-process] [-- --sweep]
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStores } from '../server/adapters/sqlite';
import { loadConfig } from '../server/config';
import recommend from '../server/functions/recommend';
import { toHandler, type Deps } from '../server/runtime/function';
import { startHost } from '../test/helpers/host-process';
import { drive, PAGE_SIZE, summarise, type Call } from './serve/traffic';
import { BENCH_SIZE, generateServeWorld, seedServeWorld, type ServeWorld } from './serve/world';

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 && Number(args[i + 1]) > 0 ? Number(args[i + 1]) : fallback;
};
const REQUESTS = opt('--requests', 3000);
const SECONDS = opt('--seconds', 15);
const SEED = 20261128;
/** Processes serving HTTP in the host (HOST_WORKERS). */
const WORKERS = opt('--workers', 2);
/** Profiling aid: measure in-process only. */
const IN_PROCESS_ONLY = args.includes('--in-process');
/** Also measure the host at these client counts (`--sweep`). */
const SWEEP = args.includes('--sweep') ? [4, 8, 16] : [];

type Figures = ReturnType<typeof summarise>;

/** Fails the bench when a served page skipped a path it is meant to measure. */
async function checkPaths(
  deps: Deps,
  call: Call,
  world: ServeWorld,
  version: string,
): Promise<void> {
  const personal = world.profiles.find((p) => p.recent.length >= 5)!.openid;
  for (const openid of [personal, world.coldUsers[0]]) {
    const res = await call(openid, { limit: PAGE_SIZE });
    if (!res.ok) throw new Error(`${openid}: ${res.message}`);
    const [slate] = await deps.stores.slates.get([res.data.slateId]);
    if (slate?.modelVersion !== version)
      throw new Error(
        `${openid}: the promoted model ${version} did not score the slate (${slate?.modelVersion})`,
      );
    if (!res.data.cards.some((c) => c.kind === 'ad'))
      throw new Error(`${openid}: no ad served in ${res.data.cards.length} cards`);
  }
}

async function inProcess(
  dataDir: string,
  world: ServeWorld,
  now: number,
): Promise<{ figures: Figures; cpuMsPerCall: number; version: string }> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    SEED_DEMO: '0',
    LOG_REQUESTS: '0',
    TRAIN_EVERY: '0',
  });
  const stores = openSqliteStores(config);
  const errors: string[] = [];
  const deps: Deps = {
    config,
    stores,
    now: () => Date.now(),
    log: { info: () => undefined, error: (m, f) => void errors.push(`${m} ${JSON.stringify(f)}`) },
  };
  try {
    const version = await seedServeWorld(stores, world, SEED, now);
    const handler = toHandler(recommend);
    const call: Call = (openid, payload) => handler({ payload, openid }, deps);
    await checkPaths(deps, call, world, version);
    await drive(world, call, 1, { requests: 300, seconds: 60 }, 1_000_000);
    // CPU time per call (user + system, this process only): less moved than latency by other
    // processes on a shared machine, so before / after comparisons can be made on a busy one.
    const cpu0 = process.cpuUsage();
    const measured = await drive(world, call, 1, { requests: REQUESTS, seconds: SECONDS });
    const cpu = process.cpuUsage(cpu0);
    if (errors.length)
      throw new Error(`recommend logged errors:\n${errors.slice(0, 5).join('\n')}`);
    const cpuMsPerCall = Number(((cpu.user + cpu.system) / 1000 / measured.requests).toFixed(3));
    return { figures: summarise(measured), cpuMsPerCall, version };
  } finally {
    await stores.close();
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function httpCall(port: number): Call {
  return (openid, payload) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(payload);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/recommend',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-openid': openid,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve(JSON.parse(Buffer.concat(chunks).toString()) as Awaited<ReturnType<Call>>),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

async function throughHost(
  dataDir: string,
  world: ServeWorld,
): Promise<{ c1: Figures; c32: Figures; sweep: Array<{ clients: number } & Figures> }> {
  const host = startHost({
    DATA_DIR: dataDir,
    SEED_DEMO: '0',
    LOG_REQUESTS: '0',
    TRAIN_EVERY: '0',
    HOST_WORKERS: String(WORKERS),
  });
  try {
    const call = httpCall(Number(new URL(await host.url).port));
    // Warm-up with all 32 keep-alive connections, so the c32 figures are of serving, not of opening
    // connections to workers that are already busy (fastify keeps idle ones for 72 s).
    await drive(world, call, 32, { requests: 1200, seconds: 60 }, 2_000_000);
    const c1 = summarise(
      await drive(world, call, 1, { requests: REQUESTS, seconds: SECONDS }, 3_000_000),
    );
    const c32 = summarise(
      await drive(world, call, 32, { requests: REQUESTS * 2, seconds: SECONDS }, 4_000_000),
    );
    const sweep = [];
    for (const clients of SWEEP)
      sweep.push({
        clients,
        ...summarise(
          await drive(
            world,
            call,
            clients,
            { requests: REQUESTS * 2, seconds: SECONDS },
            5_000_000 + clients,
          ),
        ),
      });
    return { c1, c32, sweep };
  } finally {
    host.stop();
    await host.exit;
    agent.destroy();
  }
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-serve-'));
  const load0 = os.loadavg()[0];
  try {
    const now = Date.now();
    const world = generateServeWorld(SEED, now);
    const { figures: inProc, cpuMsPerCall } = await inProcess(dataDir, world, now);
    if (IN_PROCESS_ONLY) {
      console.log(
        JSON.stringify({ inProcess: { ...inProc, cpuMsPerCall }, load: os.loadavg()[0] }),
      );
      return;
    }
    const host = await throughHost(dataDir, world);
    const result = {
      inProcess: { p50Ms: inProc.p50Ms, p99Ms: inProc.p99Ms, cpuMsPerCall },
      host: { c1: host.c1, c32: host.c32, ...(SWEEP.length ? { sweep: host.sweep } : {}) },
    };
    if (json) {
      console.log(JSON.stringify(result));
      return;
    }
    const load = `load average ${load0.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`;
    console.log(
      `recommend: ${PAGE_SIZE} items + ads, ${BENCH_SIZE.items} items, ${BENCH_SIZE.campaigns} campaigns, SQLite, ${os.cpus().length} cores, ${load}; in-process CPU ${cpuMsPerCall} ms a call`,
    );
    console.log('| path | clients | p50 ms | p99 ms | req/s | target p99 |');
    console.log('|---|---|---|---|---|---|');
    console.log(`| in-process | 1 | ${inProc.p50Ms} | ${inProc.p99Ms} | ${inProc.rps} | ≤ 10 ms |`);
    const label = `local host, ${WORKERS} worker${WORKERS > 1 ? 's' : ''}`;
    console.log(`| ${label} | 1 | ${host.c1.p50Ms} | ${host.c1.p99Ms} | ${host.c1.rps} | |`);
    for (const r of host.sweep)
      console.log(`| ${label} | ${r.clients} | ${r.p50Ms} | ${r.p99Ms} | ${r.rps} | |`);
    console.log(
      `| ${label} | 32 | ${host.c32.p50Ms} | ${host.c32.p99Ms} | ${host.c32.rps} | ≤ 30 ms |`,
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:serve failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
