/**
 * End to end: the local host as a child process (tsx server/host/main.ts) on a free port with a
 * fresh data directory: it seeds the demo world, serves the functions over HTTP, maps bad input
 * to stable codes without writing anything, and refuses to start when it must.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHost, type HostRun as Run } from '../helpers/host-process';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'recsys-e2e-'));

describe('local host over HTTP', () => {
  const dataDir = tempDir();
  let host: Run;
  let base: string;

  const call = async (fn: string, body: unknown, openid: string | null = 'e2e_user') => {
    const res = await fetch(`${base}/api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(openid ? { 'x-openid': openid } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
    return { status: res.status, body: (await res.json()) as any };
  };

  const click = (eventId: string) => ({
    eventId,
    type: 'click',
    clientTime: Date.now(),
    sessionId: 'e2e-session',
    page: 'pages/feed/index',
    itemId: 'demo-item-0001',
  });

  beforeAll(async () => {
    host = startHost({ DATA_DIR: dataDir, SEED: '7' });
    base = await host.url;
    // What the app does after WeChat's privacy authorization: track stores nothing without it.
    expect(
      await call('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }),
    ).toMatchObject({ status: 200, body: { ok: true } });
  }, 30_000);

  afterAll(async () => {
    host.stop();
    await host.exit;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints what it serves and seeds the demo world on first start', () => {
    expect(host.output()).toMatch(
      /seeded the demo world \(seed 7\): 378 content items, \d+ merchants, \d+ campaigns/,
    );
    expect(host.output()).toContain(`POST ${base}/api/recommend`);
    expect(host.output()).toContain(`POST ${base}/api/track`);
  });

  it('serves recommend: demo content cards (ads in their slots besides), paged with the cursor', async () => {
    type Card =
      | { kind: 'content'; position: number; item: { id: string; title: string } }
      | { kind: 'ad'; position: number; sponsored: boolean };
    const content = (cards: Card[]) =>
      cards.filter((c): c is Extract<Card, { kind: 'content' }> => c.kind === 'content');
    const first = await call('recommend', { limit: 5 });
    expect(first.status).toBe(200);
    expect(first.body.ok).toBe(true);
    expect(content(first.body.data.cards)).toHaveLength(5);
    for (const card of content(first.body.data.cards))
      expect(card.item.title).toMatch(/[\u4e00-\u9fff]/);
    for (const card of first.body.data.cards as Card[])
      if (card.kind === 'ad') expect(card.sponsored).toBe(true);

    const second = await call('recommend', { limit: 5, cursor: first.body.data.cursor });
    expect(second.body.ok).toBe(true);
    const ids = content([...first.body.data.cards, ...second.body.data.cards]).map(
      (c) => c.item.id,
    );
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    const positions = [...first.body.data.cards, ...second.body.data.cards].map(
      (c: Card) => c.position,
    );
    expect(positions).toEqual(positions.map((_, i) => i));
  });

  it('stores tracked events and reads them back as duplicates', async () => {
    const id = randomUUID();
    const stored = await call('track', { schemaVersion: 1, events: [click(id)] });
    expect(stored.body).toEqual({
      ok: true,
      data: { accepted: [id], duplicates: [], rejected: [], sampling: {} },
    });
    const again = await call('track', { schemaVersion: 1, events: [click(id)] });
    expect(again.body).toEqual({
      ok: true,
      data: { accepted: [], duplicates: [id], rejected: [], sampling: {} },
    });
  });

  it('maps bad input to stable codes and writes nothing', async () => {
    const id = randomUUID();
    const cases: [unknown, string | null, number, string, string?][] = [
      [{ schemaVersion: 1, events: [click(id)] }, null, 401, 'UNAUTHENTICATED'],
      ['{"schemaVersion": 1, "events": [', 'e2e_user', 400, 'BAD_REQUEST'],
      [{ schemaVersion: '1', events: [click(id)] }, 'e2e_user', 400, 'INVALID_INPUT'],
      [{ schemaVersion: 1, events: [click(id)], admin: true }, 'e2e_user', 400, 'INVALID_INPUT'],
      [
        { schemaVersion: 1, events: [click(id)], pad: 'x'.repeat(300 * 1024) },
        'e2e_user',
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [{}, 'e2e_user', 404, 'UNKNOWN_FUNCTION', 'nope'],
    ];
    for (const [body, openid, status, code, fn] of cases) {
      const res = await call(fn ?? 'track', body, openid);
      expect({ code, status: res.status, body: res.body }).toEqual({
        code,
        status,
        body: { ok: false, code, message: expect.any(String) },
      });
    }
    // None of the rejected calls stored the event: the first good call stores it.
    const good = await call('track', { schemaVersion: 1, events: [click(id)] });
    expect(good.body.data.accepted).toEqual([id]);
  });

  it('does not seed again when restarted on the same data', async () => {
    const second = startHost({ DATA_DIR: dataDir, SEED: '7' });
    const url = await second.url;
    const res = await fetch(`${url}/`);
    expect(((await res.json()) as { data: { functions: string[] } }).data.functions).toEqual(
      expect.arrayContaining(['recommend', 'track']),
    );
    second.stop();
    const { code, output } = await second.exit;
    expect(output).not.toMatch(/seeded the demo world/);
    expect(code).toBe(0);
  }, 30_000);
});

describe('local host refuses to start', () => {
  it('on a non-loopback address without ALLOW_REMOTE', async () => {
    const run = startHost({ HOST: '0.0.0.0', DATA_DIR: tempDir() });
    const { code, output } = await run.exit;
    expect(code).not.toBe(0);
    expect(output).toMatch(/refusing to listen on 0\.0\.0\.0.*ALLOW_REMOTE=1/s);
  }, 30_000);

  it('with a database file that is not a database, exiting 1 with the reason', async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'recsys.sqlite'),
      Buffer.from('this is not an SQLite file, just garbage bytes'.repeat(100)),
    );
    const run = startHost({ DATA_DIR: dir });
    const { code, output } = await run.exit;
    expect(code).toBe(1);
    expect(output).toMatch(/cannot open database .*recsys\.sqlite: file is not a database/);
    expect(output).not.toMatch(/\n\s+at /); // one clear line, no stack trace
  }, 30_000);
});
