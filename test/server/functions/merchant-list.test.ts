/**
 * `merchant` merchant.list on both adapters: the platform admin's pick list of merchants (newest
 * first, the name and id each), refused to everyone else.
 */
import { bothAdapters } from '../../helpers/adapters';
import { ADMIN, OWNER_A, STAFF_A, USER, buildMerchantWorld } from '../../helpers/merchant-world';
import type { OpenedStores } from '../../helpers/sqlite-stores';

describe.each(bothAdapters)('merchant.list on %s', (_name, open) => {
  let opened: OpenedStores;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(() => opened.cleanup());

  it('lists every merchant newest first for the admin, and no one else', async () => {
    const w = await buildMerchantWorld(opened.stores);
    w.deps.setNow(w.deps.now() + 60_000);
    const { merchant } = await w.ok(ADMIN, { action: 'merchant.create', name: '新开的店' });
    const { merchants } = await w.ok(ADMIN, { action: 'merchant.list' });
    expect(merchants[0]).toEqual(merchant);
    expect(merchants.map((m) => m.id)).toEqual(
      expect.arrayContaining([merchant.id, w.merchantA, w.merchantB]),
    );
    const times = merchants.map((m) => m.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const who of [OWNER_A, STAFF_A, USER])
      expect(await w.call(who, { action: 'merchant.list' })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
  });
});
