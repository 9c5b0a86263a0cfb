/**
 * End to end through the local host (a child process, as `npm start`): a user's session —
 * consent, feed pages, every kind of tracked event — comes back whole from the paged export,
 * and an erasure requested over HTTP leaves an empty export.
 */
import { randomUUID } from 'node:crypto';
import { hostForSuite } from '../helpers/host-process';

const USER = 'e2e_export_user';

describe('export and erasure through the local host', () => {
  const suite = hostForSuite({ SEED: '7', TRAIN_EVERY: '0' }, 'recsys-e2e-account-');

  const call = async (
    fn: string,
    body: unknown,
    openid = USER,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are asserted by the tests
  ): Promise<{ status: number; size: number; body: any }> => {
    const res = await fetch(`${suite.base}/api/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-openid': openid },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, size: Buffer.byteLength(text), body: JSON.parse(text) };
  };

  const exportAll = async (): Promise<Record<string, Record<string, unknown>[]>> => {
    const out: Record<string, Record<string, unknown>[]> = {};
    let cursor: string | undefined;
    do {
      const res = await call('account', { action: 'export.page', ...(cursor ? { cursor } : {}) });
      expect(res.body.ok).toBe(true);
      expect(res.size).toBeLessThan(1024 * 1024);
      const page = res.body.data.page as {
        collection: string;
        records: Record<string, unknown>[];
        cursor: string | null;
      };
      (out[page.collection] ??= []).push(...page.records);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return out;
  };

  it('exports everything the session stored, then erases it', async () => {
    expect(
      (await call('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }))
        .body.ok,
    ).toBe(true);
    const first = await call('recommend', { limit: 5 });
    const second = await call('recommend', { limit: 5, cursor: first.body.data.cursor });
    const slates = [first, second].map((r) => r.body.data.slateId as string);
    type Card =
      | { kind: 'content'; position: number; item: { id: string } }
      | { kind: 'ad'; position: number; adId: string };
    const cards = [first, second].flatMap((r, i) =>
      (r.body.data.cards as Card[]).map((c) => ({ slateId: slates[i], card: c })),
    );
    const t = Date.now();
    const on = (c: (typeof cards)[number]) => ({
      slateId: c.slateId,
      position: c.card.position,
      ...(c.card.kind === 'content' ? { itemId: c.card.item.id } : { adId: c.card.adId }),
    });
    const base0 = (type: string, extra: object = {}) => ({
      eventId: randomUUID(),
      type,
      clientTime: t,
      sessionId: 'e2e-s1',
      page: 'pages/feed/index',
      ...extra,
    });
    const item = on(cards.find((c) => c.card.kind === 'content')!);
    const sent = [
      ...cards.map((c) => base0('impression', on(c))),
      base0('click', item),
      base0('like', item),
      base0('unlike', item),
      base0('comment', { ...item, text: '这家店的火锅很好吃' }),
      base0('share', { ...item, shareId: 'sh-1', target: 'group' }),
      base0('dwell', { ...item, dwellMs: 12_345 }),
      base0('hide', { ...on(cards[cards.length - 1]), reason: 'not_interested' }),
      base0('search', { query: '火锅 上海' }),
      base0('order', { ...item, orderId: 'order-42', amountFen: 2_990, merchantId: 'm-1' }),
      base0('pay', { ...item, orderId: 'order-42', amountFen: 2_990, merchantId: 'm-1' }),
      base0('page_perf', { metric: 'firstRender', durationMs: 321 }),
    ];
    const tracked = await call('track', { schemaVersion: 1, events: sent });
    expect(tracked.body.data.accepted).toHaveLength(sent.length);
    // Someone else's session must not show up in this user's copy.
    await call(
      'account',
      { action: 'consent.set', noticeVersion: '2026-11', granted: true },
      'e2e_someone_else',
    );
    await call(
      'track',
      { schemaVersion: 1, events: [base0('search', { query: 'not mine' })] },
      'e2e_someone_else',
    );

    const copy = await exportAll();
    // Every sent event comes back with every field it was sent with (columns or props, either naming).
    const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const byId = new Map(
      copy.events.map((r) => {
        const flat: Record<string, unknown> = { ...(r.props as object), ...r };
        return [String(flat.event_id ?? flat.eventId), flat];
      }),
    );
    expect(byId.size).toBe(sent.length);
    for (const e of sent) {
      const got = byId.get(e.eventId);
      expect(got).toBeDefined();
      for (const [k, v] of Object.entries(e))
        expect({ [k]: got![snake(k)] ?? got![k] }).toEqual({ [k]: v });
    }
    expect(copy.slates.map((s) => s.slate_id ?? s.slateId).sort()).toEqual([...slates].sort());
    expect(
      copy.consents.map(
        (c) => (c.doc as { noticeVersion: string } | undefined)?.noticeVersion ?? c.noticeVersion,
      ),
    ).toEqual(['2026-11']);
    expect(copy.accounts).toHaveLength(1);
    expect(JSON.stringify(copy)).not.toContain('e2e_someone_else');
    expect(JSON.stringify(copy)).not.toContain('not mine');

    // Erasure over HTTP: it waits out the track gate's cache (a few seconds), then the copy is empty.
    const started = await call('account', { action: 'erase.start' });
    expect(started.body.data.erasure.status).toMatch(/running|done/);
    let status = started.body.data.erasure.status as string;
    for (let i = 0; i < 40 && status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await call('account', { action: 'erase.status' })).body.data.erasure.status;
    }
    expect(status).toBe('done');
    expect(Object.values(await exportAll()).flat()).toEqual([]);
    // The other user keeps their data.
    const other = await call('account', { action: 'profile.get' }, 'e2e_someone_else');
    expect(other.body.data.profile.eventCounts).toEqual({ search: 1 });
  }, 30_000);
});
