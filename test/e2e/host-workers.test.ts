/**
 * End to end: the local host with HOST_WORKERS=2 (a primary that seeds and trains, two cluster
 * workers on one port): it seeds once, prints its readiness once, both workers serve the same
 * database (a session paged across connections), and SIGTERM stops every process cleanly.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startHost } from '../helpers/host-process';

describe('local host with two worker processes', () => {
  it('seeds once, serves from both workers, and stops cleanly', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-e2e-workers-'));
    const host = startHost({
      DATA_DIR: dataDir,
      SEED: '7',
      HOST_WORKERS: '2',
      TRAIN_EVERY: '0',
      LOG_REQUESTS: '0',
    });
    try {
      const base = await host.url;
      const out = host.output();
      expect(out.match(/seeded the demo world/g)).toHaveLength(1);
      expect(out.match(/listening on/g)).toHaveLength(1);
      expect(out).toContain('2 worker processes (HOST_WORKERS)');
      // One fresh connection per call (no keep-alive): the primary hands connections to the workers in turn.
      const agent = new http.Agent({ keepAlive: false });
      const call = (
        body: object,
      ): Promise<{
        ok: boolean;
        data?: { cursor: string | null; cards: Array<{ kind: string; item?: { id: string } }> };
      }> =>
        new Promise((resolve, reject) => {
          const payload = JSON.stringify(body);
          const req = http.request(
            `${base}/api/recommend`,
            {
              method: 'POST',
              agent,
              headers: {
                'content-type': 'application/json',
                'x-openid': 'e2e_workers',
                'content-length': Buffer.byteLength(payload),
              },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
            },
          );
          req.on('error', reject);
          req.end(payload);
        });
      // A session paged over several connections: each page's slate, logged by whichever worker
      // served it, is read by the next one, so no item repeats.
      const seen: string[] = [];
      let cursor: string | null | undefined;
      for (let p = 0; p < 4; p++) {
        const res = await call({ limit: 10, ...(cursor ? { cursor } : {}) });
        expect(res.ok).toBe(true);
        seen.push(...res.data!.cards.flatMap((c) => (c.item ? [c.item.id] : [])));
        cursor = res.data!.cursor;
      }
      expect(seen.length).toBeGreaterThanOrEqual(40);
      expect(new Set(seen).size).toBe(seen.length);
      agent.destroy();
    } finally {
      host.stop();
      const { code, output } = await host.exit;
      expect(code).toBe(0);
      expect(output).toContain('SIGTERM: shutting down');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
