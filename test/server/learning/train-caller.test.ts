/** Who may start `train` with a WeChat identity: platform admins only (issue 21); a user is refused. */
import train from '../../../server/functions/train';
import { toHandler } from '../../../server/runtime/function';
import { testDeps } from '../../helpers/deps';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

let opened: OpenedStores;
beforeEach(async () => {
  opened = await openTempSqliteStores();
});
afterEach(() => opened.cleanup());

describe('train callers', () => {
  it('refuses a user and runs for a platform admin', async () => {
    const deps = testDeps(opened.stores);
    deps.config = { ...deps.config, platformAdmins: ['admin_1'] };
    const run = toHandler(train);
    expect(await run({ payload: {}, openid: 'user_1' }, deps)).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    expect(await run({ payload: {}, openid: 'admin_1' }, deps)).toMatchObject({ ok: true });
  });
});
