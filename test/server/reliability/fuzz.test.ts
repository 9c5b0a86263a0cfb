/**
 * Property-based fuzzing of every registered function on both adapters (short run, fixed seed;
 * `npm run fuzz` is the long one): envelope with a known code, no write from a refused call, no
 * change to another tenant's rows, nothing internal or foreign in any answer.
 */
import { functionNames } from '../../../server/functions';
import { bothAdapters } from '../../helpers/adapters';
import { VICTIM, buildFuzzWorld, type FuzzWorld } from '../../helpers/fuzz/world';
import { dropReportTally, fuzzFunction } from '../../helpers/fuzz/run';
import type { OpenedStores } from '../../helpers/sqlite-stores';

const SEED = 20261205;
const RUNS: Record<string, number> = { sqlite: 60, cloud: 60 };

describe.each(bothAdapters)('fuzzing every function on %s', (name, open) => {
  let opened: OpenedStores;
  let world: FuzzWorld;
  beforeAll(async () => {
    opened = await open();
    world = await buildFuzzWorld(opened);
  });
  afterAll(() => opened.cleanup());

  it.each(functionNames)(
    '%s: envelope, no write when refused, no cross-tenant effect, no leak',
    async (fn) => {
      const report = await fuzzFunction(fn, world, { seed: SEED, count: RUNS[name]! });
      expect(report.failures).toEqual([]);
      expect(report).toMatchObject({
        crashes: 0,
        writesFromInvalid: 0,
        crossTenantWrites: 0,
        leaks: 0,
      });
      // The generator reaches past validation (an answer from the use case: ok, or a refusal it
      // made such as FORBIDDEN or NOT_FOUND), and some calls are refused at the door.
      const door = ['INVALID_INPUT', 'BAD_REQUEST', 'UNAUTHENTICATED', 'PAYLOAD_TOO_LARGE'];
      const past = Object.entries(report.codes).filter(([c]) => !door.includes(c));
      expect(past.reduce((n, [, k]) => n + k, 0)).toBeGreaterThan(0);
      expect(report.inputs - (report.codes.ok ?? 0)).toBeGreaterThan(0);
    },
    120_000,
  );
});

describe('the fuzz checker itself', () => {
  let opened: OpenedStores;
  let world: FuzzWorld;
  beforeAll(async () => {
    opened = await bothAdapters[0]![1]();
    world = await buildFuzzWorld(opened);
  });
  afterAll(() => opened.cleanup());

  const consent = (openid: string) =>
    opened.stores.privacy.recordConsent(openid, {
      noticeVersion: 'v9',
      granted: false,
      at: world.deps.now(),
    });

  it('counts a refused call that wrote, a change to the victim, a leaked stack and a crash', async () => {
    let n = 0;
    const broken: FuzzWorld = {
      ...world,
      call: async (fn, payload, openid) => {
        const res = await world.call(fn, payload, openid);
        n++;
        if (n === 1) {
          await consent('fuzz-writer');
          return { ok: false, code: 'INVALID_INPUT', message: '请求参数有误' };
        }
        if (n === 2) await consent(VICTIM);
        if (n === 3)
          return { ok: false, code: 'INVALID_INPUT', message: 'at handle (/work/x.ts:1:2)' };
        if (n === 4) throw new Error('boom');
        return res;
      },
    };
    const report = await fuzzFunction('account', broken, { seed: 1, count: 8 });
    expect(report.crashes).toBeGreaterThanOrEqual(1);
    expect(report.leaks).toBeGreaterThanOrEqual(1);
    expect(report.crossTenantWrites).toBeGreaterThanOrEqual(1);
    expect(report.writesFromInvalid).toBeGreaterThanOrEqual(1);
  });

  it("lets an accepted report change only the reported comment's tally", () => {
    const was =
      '- comments: {"id":"c1","openid":"victim-user","text":"原文","reports":0,"reasons":null}';
    const tally =
      '+ comments: {"id":"c1","openid":"victim-user","text":"原文","reports":1,"reasons":"{}"}';
    const edited =
      '+ comments: {"id":"c1","openid":"victim-user","text":"改了","reports":1,"reasons":"{}"}';
    expect(dropReportTally(true, [was, tally])).toEqual([]);
    // The text changed too: both rows stay and count.
    expect(dropReportTally(true, [was, edited])).toEqual([was, edited]);
    // Not a report (or a refused one): nothing is excused.
    expect(dropReportTally(false, [was, tally])).toEqual([was, tally]);
  });
});
