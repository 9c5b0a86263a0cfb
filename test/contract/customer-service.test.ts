/**
 * The customer-service channel on both adapters: the cloud one sends through the real
 * wx-server-sdk's openapi.customerServiceMessage.send (open-API transport in memory) and turns
 * WeChat's refusals (45015: the 48-hour window has closed) into CustomerServiceError; the local
 * one keeps the messages in its outbox.
 */
import { openCloudStores, type Cloud } from '../../server/adapters/cloud';
import type { SqliteCustomerService } from '../../server/adapters/sqlite/customer-service';
import { CustomerServiceError } from '../../server/ports';
import { TEST_CLOUD_CONFIG } from '../helpers/blob-key';
import { installCloudTransport } from '../helpers/cloud-transport';
import { openTempSqliteStores } from '../helpers/sqlite-stores';

const transport = installCloudTransport();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cloud = require('wx-server-sdk') as Cloud;
cloud.init({ env: 'test-env' });
afterAll(() => transport.restore());

describe('customer-service channel: cloud (wx-server-sdk, in-memory transport)', () => {
  beforeEach(() => transport.reset());

  it('sends a text message to the user through the open API', async () => {
    const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
    await stores.customerService.send('o-user-1', { kind: 'text', text: '你好，\n"退款"请看订单' });
    expect(transport.openapi).toEqual([
      {
        api: 'customerServiceMessage.send',
        data: { touser: 'o-user-1', msgtype: 'text', text: { content: '你好，\n"退款"请看订单' } },
      },
    ]);
  });

  it("rejects with WeChat's errcode when WeChat refuses (the reply window has closed)", async () => {
    const stores = openCloudStores(cloud, TEST_CLOUD_CONFIG);
    transport.openapiAnswer = { errcode: 45015, errmsg: 'response out of time limit' };
    const sent = stores.customerService.send('o-user-1', { kind: 'text', text: '晚了' });
    await expect(sent).rejects.toBeInstanceOf(CustomerServiceError);
    await expect(sent).rejects.toMatchObject({ errcode: 45015 });
  });
});

describe('customer-service channel: sqlite (the local outbox)', () => {
  it("keeps each user's messages in order", async () => {
    const { stores, cleanup } = await openTempSqliteStores();
    const channel = stores.customerService as SqliteCustomerService;
    await channel.send('u1', { kind: 'text', text: '一' });
    await channel.send('u2', { kind: 'text', text: '二' });
    await channel.send('u1', { kind: 'text', text: '三' });
    expect(await channel.outbox('u1')).toEqual([
      { kind: 'text', text: '一' },
      { kind: 'text', text: '三' },
    ]);
    expect(await channel.outbox('u3')).toEqual([]);
    await cleanup();
  });
});
