/**
 * `npm run bench:ingest`: events per second that `track` stores through the local host (SQLite
 * adapter), with batches of 20 and 100 from 1 and 8 concurrent clients, p50/p99 batch latency,
 * and lost / duplicated events counted in the database afterwards. Every 10th batch is sent a
 * second time, as a device does after a lost response, so "duplicated" is a real check.
 *
 * The host runs as its own process (as `npm start` does); this process is the load generator.
 * Usage: npm run bench:ingest [-- --json] [-- --seconds 4]
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startHost, type HostRun } from '../test/helpers/host-process';

interface Figures {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  duplicated: number;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 4;

async function startBenchHost(dataDir: string): Promise<{ host: HostRun; port: number }> {
  const host = startHost({ DATA_DIR: dataDir, SEED_DEMO: '0', LOG_REQUESTS: '0' });
  return { host, port: Number(new URL(await host.url).port) };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(
  port: number,
  openid: string,
  body: string,
  fn = 'track',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/api/${fn}`,
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
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function makeBatch(size: number, now: number): { events: object[]; ids: string[] } {
  const events = Array.from({ length: size }, (_, i) => ({
    eventId: randomUUID(),
    type: i % 5 === 0 ? 'click' : 'impression',
    clientTime: now,
    sessionId: 'bench-session',
    page: 'pages/feed/index',
    itemId: `item-${i % 50}`,
    slateId: 'slate-bench',
    position: i,
  }));
  return { events, ids: events.map((e) => e.eventId) };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;

/** Users per scenario: enough that none comes near the rate limit within the run. */
const USERS = 4_000;

async function scenario(
  port: number,
  tag: string,
  batch: number,
  clients: number,
): Promise<{ figures: Omit<Figures, 'lost' | 'duplicated'>; sent: number }> {
  const latencies: number[] = [];
  let sent = 0;
  // The users record consent first, as the app does after privacy authorization (track stores
  // nothing without it); that is set-up, not measured. Batches rotate over the pool so the
  // per-user rate limit (600/min) stays out of the measurement.
  const user = (k: number) => `${tag}-u${k % USERS}`;
  const consent = JSON.stringify({ action: 'consent.set', noticeVersion: 'bench', granted: true });
  for (let k = 0; k < USERS; k += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, USERS - k) }, (_, j) =>
        post(port, user(k + j), consent, 'account'),
      ),
    );
  }
  const deadline = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const openid = user(n * clients + c);
        const { events } = makeBatch(batch, Date.now());
        const body = JSON.stringify({ schemaVersion: 1, events });
        const start = performance.now();
        const res = await post(port, openid, body);
        latencies.push(performance.now() - start);
        const parsed = JSON.parse(res.text) as { ok: boolean; data?: { accepted: string[] } };
        if (!parsed.ok || parsed.data!.accepted.length !== batch)
          throw new Error(`batch not accepted whole: ${res.text.slice(0, 200)}`);
        sent += batch;
        if (n % 10 === 9) {
          const again = JSON.parse((await post(port, openid, body)).text) as {
            data: { duplicates: string[] };
          };
          if (again.data.duplicates.length !== batch)
            throw new Error('a retried batch was not acknowledged as duplicates');
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent,
    figures: {
      eventsPerSecond: Math.round(sent / elapsed),
      p50Ms: Number(percentile(latencies, 0.5).toFixed(2)),
      p99Ms: Number(percentile(latencies, 0.99).toFixed(2)),
    },
  };
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  const { host, port } = await startBenchHost(dataDir);
  const results: Record<string, Record<string, Figures>> = { batch20: {}, batch100: {} };
  try {
    await scenario(port, 'warmup', 20, 2);
    for (const batch of [20, 100]) {
      for (const clients of [1, 8]) {
        const tag = `b${batch}c${clients}`;
        const { figures, sent } = await scenario(port, tag, batch, clients);
        const db = new Database(path.join(dataDir, 'recsys.sqlite'), { readonly: true });
        const row = db
          .prepare(
            `SELECT COUNT(*) AS n, COUNT(DISTINCT openid || ' ' || event_id) AS d FROM events WHERE openid LIKE ?`,
          )
          .get(`${tag}-%`) as { n: number; d: number };
        db.close();
        results[`batch${batch}`][`c${clients}`] = {
          ...figures,
          lost: sent - row.d,
          duplicated: row.n - row.d,
        };
      }
    }
  } finally {
    host.stop();
    await host.exit;
    agent.destroy();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });

  if (json) {
    console.log(JSON.stringify(results));
    return;
  }
  console.log(
    `track through the local host (SQLite, ${os.cpus().length} cores, ${seconds} s per row, every 10th batch retried)`,
  );
  console.log('| batch | clients | events/s | p50 ms | p99 ms | lost | duplicated |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [b, byClients] of Object.entries(results)) {
    for (const [c, f] of Object.entries(byClients)) {
      console.log(
        `| ${b.slice(5)} | ${c.slice(1)} | ${f.eventsPerSecond} | ${f.p50Ms} | ${f.p99Ms} | ${f.lost} | ${f.duplicated} |`,
      );
    }
  }
}

main().catch((err) => {
  console.error(`bench:ingest failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
