/**
 * 热门搜索 through the local host (fastify inject, SQLite, the demo world): people consent and
 * search (`content` search), the timer's `train` round rolls up, and `search.hot` shows the query
 * only once K distinct people searched it; one person searching it many times does not count.
 */
import { HOT_MIN_USERS } from '../../../server/content/hot-queries';
import { inProcessHost } from '../../helpers/in-process-host';

let now = Date.UTC(2026, 11, 6, 2, 0, 0);
const host = inProcessHost({}, () => now);
beforeAll(() => host.start());
afterAll(() => host.stop());

const post = host.post;
const searchAs = async (openid: string, query: string) => {
  await post('account', { action: 'consent.set', noticeVersion: '2026-11', granted: true }, openid);
  await post('content', { action: 'search', query }, openid);
};
const hot = async () => (await post('content', { action: 'search.hot' }, 'reader')).queries;

it('several people search → train → 热门搜索 shows the query only once K of them did', async () => {
  expect(await hot()).toEqual([]);
  for (let i = 0; i < 5; i++) await searchAs('fan-0', '火锅'); // one person, many times
  for (let i = 1; i < HOT_MIN_USERS - 1; i++) await searchAs(`fan-${i}`, '火锅');
  now += 60_000;
  await post('train', {});
  expect(await hot()).toEqual([]); // K − 1 people
  await searchAs(`fan-${HOT_MIN_USERS - 1}`, '火锅');
  now += 60_000;
  await post('train', {});
  expect(await hot()).toEqual(['火锅']);
}, 60_000); // the demo world's search index and two training rounds
