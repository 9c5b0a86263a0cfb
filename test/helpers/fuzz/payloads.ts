/**
 * Generated payloads per function (fast-check): valid ones, nearly valid ones (one field dropped,
 * added or replaced), and hostile ones (query-operator and prototype keys, huge strings and arrays,
 * deep nesting, wrong types, NaN / Infinity, lone UTF-16 surrogates, forged ids of others).
 */
import { QUESTIONNAIRE_VERSION } from '../../../server/engine/risk-assessment';
import fc from 'fast-check';
import type { Creative, FunctionName } from '../../../typings';
import { stagingFolderOf } from '../../../server/merchant/images';
import { TEST_AD_IMAGE, validInput } from '../merchant-world';
import { LOCAL_SHARE_INFO_PREFIX } from '../../../server/adapters/sqlite/local-open-data';
import { CALLERS, type FuzzWorld } from './world';

type Arb<T = unknown> = fc.Arbitrary<T>;
export type Kind = 'valid' | 'near' | 'hostile';

/** Keys that reach query builders or object prototypes if anything passes them through. */
const HOSTILE_KEYS = [
  '$where',
  '$gt',
  '$ne',
  '$set',
  '_.inc',
  'a.b',
  '__proto__',
  'constructor',
  'prototype',
  '_openid',
  'openid',
  'merchantId',
  '',
];

/** An own property even for `__proto__` (a plain assignment would set the prototype instead). */
function withKey(
  obj: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const out = { ...obj };
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const deep = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

export function hostileValue(w: FuzzWorld): Arb {
  const forged = [
    ...w.ids.campaignsB,
    ...w.ids.experimentsB,
    w.ids.merchantB,
    w.ids.victimComment,
    'victim-user',
    'owner-b',
  ];
  return fc.oneof(
    fc.constantFrom(
      NaN,
      Infinity,
      -Infinity,
      -0,
      Number.MAX_SAFE_INTEGER + 2,
      1e308,
      -1,
      0.5,
      null,
      undefined,
      true,
      '',
      ' ',
      '\uD800',
      'a\uDFFFb',
      '\u0000',
      '../../etc/passwd',
      '{"$gt": ""}',
      'cloud://../../x',
    ),
    fc.constantFrom(...forged),
    fc.constantFrom(
      { $gt: '' },
      { $where: 'sleep(1000)' },
      { _: { inc: 1 } },
      { $ne: null },
      [],
      {},
      JSON.parse('{"__proto__": {"polluted": 1}}') as unknown,
      { constructor: { prototype: { polluted: 1 } } },
    ),
    fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
    fc.integer({ min: 200, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
    fc.integer({ min: 50, max: 2_000 }).map(deep),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.double(),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** One change to a valid payload: drop, add or replace one field somewhere in it. */
function nearly(valid: Arb<Record<string, unknown>>, w: FuzzWorld): Arb {
  const paths = (v: unknown, at: string[] = []): string[][] =>
    v && typeof v === 'object'
      ? [at, ...Object.keys(v).flatMap((k) => paths((v as Record<string, unknown>)[k], [...at, k]))]
      : [at];
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('drop', 'add', 'replace'),
      fc.constantFrom(...HOSTILE_KEYS, 'extra'),
      hostileValue(w),
    )
    .map(([v, pick, op, key, value]) => {
      const all = paths(v);
      const path = all[pick % all.length]!;
      const set = (node: unknown, rest: string[]): unknown => {
        if (rest.length === 0) {
          if (op === 'replace') return value;
          if (op === 'add' && node && typeof node === 'object' && !Array.isArray(node))
            return withKey(node as Record<string, unknown>, key, value);
          return value;
        }
        const [k, ...tail] = rest;
        if (Array.isArray(node)) {
          const copy = [...node];
          if (op === 'drop' && tail.length === 0) copy.splice(Number(k), 1);
          else copy[Number(k)] = set(copy[Number(k)], tail);
          return copy;
        }
        const obj = { ...(node as Record<string, unknown>) };
        if (op === 'drop' && tail.length === 0) delete obj[k!];
        else obj[k!] = set(obj[k!], tail);
        return obj;
      };
      // Replacing the root would be a hostile payload, not a nearly valid one: add a key there instead.
      return path.length === 0 && op !== 'add' ? withKey(v, key, value) : set(v, path);
    });
}

function hostile(valid: Arb<Record<string, unknown>>, w: FuzzWorld): Arb {
  return fc.oneof(
    hostileValue(w),
    fc
      .tuple(valid, fc.constantFrom(...HOSTILE_KEYS), hostileValue(w))
      .map(([v, k, x]) => withKey(v, k, x)),
    fc.dictionary(fc.constantFrom(...HOSTILE_KEYS, 'action', 'events', 'limit'), hostileValue(w), {
      maxKeys: 4,
    }),
    fc.object({ maxDepth: 3, maxKeys: 5 }),
  );
}

const uuid = fc.uuid({ version: 4 });
const shortText = fc.string({ minLength: 1, maxLength: 40 });

function trackEvent(w: FuzzWorld, now: number): Arb<Record<string, unknown>> {
  const common = {
    eventId: uuid,
    clientTime: fc.integer({ min: now - 86_400_000, max: now + 60_000 }),
    sessionId: fc.constantFrom('s-1', 's-2'),
    page: fc.constantFrom('pages/feed/index', 'pages/detail/index'),
  };
  const optional = {
    itemId: fc.constantFrom(...w.ids.items),
    adId: fc.constantFrom(...w.ids.campaignsA, ...w.ids.campaignsB, 'no-such-ad'),
    slateId: fc.constantFrom('slate-1', 'slate-x'),
    position: fc.integer({ min: 0, max: 40 }),
  };
  const ev = (type: string, extra: Record<string, Arb> = {}) =>
    fc.record(
      { ...common, ...optional, ...extra, type: fc.constant(type) },
      {
        requiredKeys: [
          'eventId',
          'clientTime',
          'sessionId',
          'page',
          'type',
          ...Object.keys(extra),
        ] as never,
      },
    );
  const money = {
    orderId: fc.constantFrom('o-1', 'o-2'),
    amountFen: fc.integer({ min: 1, max: 100_000 }),
    merchantId: fc.constantFrom(w.ids.merchantA, w.ids.merchantB),
  };
  return fc.oneof(
    ev('impression'),
    ev('click'),
    ev('like'),
    ev('unlike'),
    ev('comment', { text: shortText.filter((s) => s.trim().length > 0) }),
    ev('share', {
      shareId: fc.constant('sh-1'),
      target: fc.constantFrom('chat', 'group', 'timeline'),
    }),
    ev('share_open', { shareId: fc.constant('sh-1') }),
    ev('dwell', { dwellMs: fc.integer({ min: 0, max: 600_000 }) }),
    ev('hide', { reason: fc.constantFrom('not_interested', 'spam') }),
    ev('search', { query: fc.constantFrom('火锅', '露营') }),
    ev('order', money),
    ev('pay', money),
    ev('page_perf', { metric: fc.constantFrom('appLaunch', 'route'), durationMs: fc.nat(60_000) }),
    ev('page_perf', {
      metric: fc.constant('route'),
      durationMs: fc.nat(60_000),
      fromPage: fc.constant('pages/feed/index'),
      appVersion: fc.constantFrom('1.0.0', '1.1.0'),
      platform: fc.constantFrom('ios', 'android'),
      network: fc.constantFrom('wifi', '4g'),
    }),
    ev('set_data', {
      calls: fc.integer({ min: 1, max: 50 }),
      bytes: fc.nat(500_000),
      maxBytes: fc.nat(300_000),
      peakPerSecond: fc.nat(40),
      windowMs: fc.nat(60_000),
    }),
    ev('api_call', {
      fn: fc.constantFrom('recommend', 'request'),
      durationMs: fc.nat(9_000),
      ok: fc.boolean(),
    }),
    ev('app_error', { kind: fc.constantFrom('error', 'rejection', 'memory') }),
    ev('tap', { feature: fc.constantFrom('feed.card', 'detail.like') }),
    ev('prefetch', { calls: fc.nat(40), bytes: fc.nat(500_000), hits: fc.nat(20) }),
  );
}

export function validPayload(fn: FunctionName, w: FuzzWorld): Arb<Record<string, unknown>> {
  const now = w.deps.now();
  const item = fc.constantFrom(...w.ids.items);
  const campaign = fc.constantFrom(...w.ids.campaignsA, ...w.ids.campaignsB, 'no-such-campaign');
  const experiment = fc.constantFrom(...w.ids.experimentsB, 'no-such-experiment');
  const cursor = fc.constantFrom('abc', 'eyJ9', 'x'.repeat(300));
  const limit = fc.integer({ min: 1, max: 50 });
  const opt = { requiredKeys: ['action'] as never[] };
  switch (fn) {
    case 'recommend':
      return fc.record(
        {
          channel: fc.constantFrom('美食', '旅行', 'foryou', '不存在'),
          limit,
          scene: fc.integer({ min: 1000, max: 9999 }),
          cursor,
          location: fc.record({
            lat: fc.double({ min: -90, max: 90, noNaN: true }),
            lng: fc.double({ min: -180, max: 180, noNaN: true }),
          }),
          destination: fc.constantFrom('成都', '杭州市', '不存在的城市'),
        },
        { requiredKeys: [] },
      );
    case 'track':
      return fc.record(
        {
          schemaVersion: fc.constant(1),
          events: fc.array(trackEvent(w, now), { minLength: 1, maxLength: 20 }),
          dropped: fc.nat(100),
        },
        { requiredKeys: ['schemaVersion', 'events'] },
      );
    case 'train':
      return fc.constant({});
    case 'account':
      return fc.oneof(
        fc.record({
          action: fc.constant('consent.set'),
          noticeVersion: fc.constantFrom('2026-11', 'v3'),
          granted: fc.boolean(),
        }),
        fc.record({
          action: fc.constantFrom(
            'consent.get',
            'profile.get',
            'demographics.clear',
            'demographics.get',
            'risk.questionnaire',
            'risk.get',
            'risk.clear',
            'interests.get',
            'erase.status',
            'erase.start',
            'subscribe.get',
          ),
        }),
        fc.record({
          action: fc.constant('subscribe.record'),
          choices: fc.record(
            {
              reply: fc.constantFrom('accept', 'reject', 'ban', 'filter', 'yes'),
              budget: fc.constantFrom('accept', 'reject'),
              ending: fc.constantFrom('accept', 'filter'),
              other: fc.constant('accept'),
            },
            { requiredKeys: [] },
          ),
        }),
        fc.record({ action: fc.constant('personalization.set'), enabled: fc.boolean() }),
        fc.record(
          {
            action: fc.constant('demographics.set'),
            gender: fc.constantFrom('male', 'female'),
            ageBand: fc.constantFrom('18-24', '25-34'),
            city: fc.constantFrom('成都', 'Hong Kong'),
          },
          { requiredKeys: ['action', 'city'] },
        ),
        fc.record({ action: fc.constant('export.page'), cursor }, opt),
        fc.record({
          action: fc.constant('interests.set'),
          categories: fc.array(fc.constantFrom('美食', '旅行', '科技', '美食', ''), {
            maxLength: 10,
          }),
        }),
        fc.record({
          action: fc.constant('risk.assess'),
          version: fc.constantFrom(QUESTIONNAIRE_VERSION, 'risk-1999-01'),
          answers: fc.array(fc.integer({ min: -1, max: 5 }), { minLength: 0, maxLength: 8 }),
        }),
      );
    case 'content':
      return fc.oneof(
        fc.record({ action: fc.constant('item.get'), itemId: item }),
        fc.record({ action: fc.constant('ad.get'), adId: campaign }),
        fc.record({ action: fc.constant('comment.list'), itemId: item, cursor, limit }, opt),
        fc.record(
          {
            action: fc.constant('comment.post'),
            itemId: item,
            text: shortText,
            position: fc.nat(40),
            replyTo: fc.constantFrom(w.ids.victimComment, '00000000-0000-4000-8000-000000000000'),
          },
          { requiredKeys: ['action', 'itemId', 'text'] },
        ),
        fc.record({
          action: fc.constant('comment.delete'),
          commentId: fc.constantFrom(w.ids.victimComment, '00000000-0000-4000-8000-000000000000'),
        }),
        fc.record({
          action: fc.constant('comment.report'),
          commentId: fc.constantFrom(w.ids.victimComment, '00000000-0000-4000-8000-000000000000'),
          reason: fc.constantFrom('spam', 'abuse', 'porn', 'illegal', 'other', 'bogus'),
        }),
        fc.record({ action: fc.constant('comment.flagged'), cursor, limit }, opt),
        fc.record({
          action: fc.constant('comment.moderate'),
          commentId: fc.constantFrom(w.ids.victimComment, '00000000-0000-4000-8000-000000000000'),
          decision: fc.constantFrom('hide', 'restore', 'delete'),
        }),
        fc.record({ action: fc.constant('likes.list'), cursor, limit }, opt),
        fc.record(
          {
            action: fc.constant('search'),
            query: fc.oneof(shortText, fc.constantFrom('火锅', '  ', '$where', '旅行 攻略')),
            limit,
          },
          { requiredKeys: ['action', 'query'] },
        ),
        // 热门搜索 takes no field: a limit or any other key is refused.
        fc.record({ action: fc.constant('search.hot'), limit }, { requiredKeys: ['action'] }),
        fc.record({
          action: fc.constant('like.set'),
          itemId: item,
          liked: fc.boolean(),
          at: fc.constantFrom(now, now - 1000, now + 2 * 86_400_000),
        }),
        fc.record({ action: fc.constantFrom('trip.add', 'trip.remove'), itemId: item }),
        fc.record({ action: fc.constant('trip.list') }),
        fc.record({ action: fc.constant('author.follow'), itemId: item }),
        fc.record({
          action: fc.constant('author.unfollow'),
          authorId: fc.constantFrom('author-1', 'author-nobody-follows'),
        }),
        fc.record({ action: fc.constant('author.following'), limit }, opt),
        // A group open: the local test form, WeChat-shaped and forged cloudIDs, hostile shares.
        fc.record(
          {
            action: fc.constant('social.group'),
            cloudID: fc.constantFrom(
              `${LOCAL_SHARE_INFO_PREFIX}tGfuzzGroup`,
              `${LOCAL_SHARE_INFO_PREFIX}`,
              '27_Ih-9vxDaOhIbh48Bdpk90DUkUoNMAPaNtg7OSGM-P2wPEk1NbspjKGoql_g',
              'local-share-info:../../etc',
              'x'.repeat(300),
            ),
            shareId: fc.constantFrom('share-1', 'victim-user', '$where'),
          },
          { requiredKeys: ['action', 'cloudID'] },
        ),
      );
    case 'merchant': {
      const day = fc.constantFrom('20261101', '20261128', '20261231');
      // Staged files named in other users' folders (merchant B's owner's), mine, published, elsewhere.
      const folderB = stagingFolderOf(w.deps, 'owner-b');
      const folderA = stagingFolderOf(w.deps, 'owner-a');
      const env = 'cloud://test-env.7465-test-env-1250000000/';
      const fileID = fc.constantFrom(
        `${env}uploads/${folderB}/abc.png`,
        `local://uploads/${folderB}/abc.png`,
        `${env}uploads/${folderA}/abc.jpg`,
        `local://uploads/${folderA}/abc.jpg`,
        `${env}uploads/${folderA}/../../recsys/blobs/x`,
        `cloud://other-env.6f74-other-env-1250000000/uploads/${folderA}/abc.png`,
        TEST_AD_IMAGE,
        'https://example.com/a.png',
      );
      return fc.oneof(
        fc.record({
          action: fc.constant('image.stage'),
          ext: fc.constantFrom('jpg', 'png', 'webp', 'gif', 'svg', 'JPG'),
        }),
        fc.record({ action: fc.constant('image.publish'), fileID }),
        fc.record({
          action: fc.constantFrom(
            'me',
            'campaign.list',
            'targeting.options',
            'experiment.list',
            'perf.report',
            'merchant.list',
          ),
        }),
        fc.record({ action: fc.constant('merchant.create'), name: shortText }),
        fc.record({
          action: fc.constant('invite.create'),
          merchantId: fc.constantFrom(w.ids.merchantA, w.ids.merchantB),
          role: fc.constantFrom('owner', 'staff'),
        }),
        fc.record({
          action: fc.constant('invite.redeem'),
          code: fc.constantFrom('ABCD-EFGH-JKMN', '2345 6789 ABCD'),
        }),
        fc.record({
          action: fc.constantFrom('campaign.get', 'campaign.audit'),
          campaignId: campaign,
        }),
        fc.record({
          action: fc.constant('campaign.create'),
          campaign: fc
            .record(
              {
                name: shortText,
                bidFen: fc.integer({ min: 1, max: 20_000 }),
                // oCPC bidding (issue 17): valid and out-of-range targets.
                bidding: fc.oneof(
                  fc.constant({ mode: 'cpc' as const }),
                  fc.record({
                    mode: fc.constant('ocpc' as const),
                    targetCpaFen: fc.integer({ min: -10, max: 20_000_000 }),
                  }),
                ),
              },
              { requiredKeys: ['name', 'bidFen'] },
            )
            .map((o) => validInput(o) as unknown as Record<string, unknown>),
        }),
        // A likely-buyers audience: offered shares and others (refused with INVALID_INPUT).
        fc.record({
          action: fc.constant('campaign.create'),
          campaign: fc.constantFrom(0.1, 0.2, 0.5, 0.15, 0, 1, -0.2, 1e9).map((likelyBuyers) => {
            const c = validInput();
            return { ...c, targeting: { ...c.targeting, likelyBuyers } } as unknown as Record<
              string,
              unknown
            >;
          }),
        }),
        fc.record(
          {
            action: fc.constant('campaign.update'),
            campaignId: campaign,
            patch: fc
              .record(
                { name: shortText, bidFen: fc.integer({ min: 5, max: 500 }) },
                {
                  requiredKeys: [],
                },
              )
              .filter((p) => Object.keys(p).length > 0),
            expectedRevision: fc.nat(5),
          },
          { requiredKeys: ['action', 'campaignId', 'patch'] },
        ),
        fc.record(
          {
            action: fc.constantFrom(
              'campaign.start',
              'campaign.pause',
              'campaign.resume',
              'campaign.end',
            ),
            campaignId: campaign,
            expectedRevision: fc.nat(5),
          },
          { requiredKeys: ['action', 'campaignId'] },
        ),
        fc.record(
          {
            action: fc.constant('offer.set'),
            campaignId: campaign,
            offer: fc.record({
              title: shortText,
              priceFen: fc.integer({ min: 1, max: 100_000 }),
              stock: fc.nat(100),
              perUserLimit: fc.integer({ min: 1, max: 5 }),
            }),
            expectedRevision: fc.nat(5),
          },
          { requiredKeys: ['action', 'campaignId', 'offer'] },
        ),
        fc.record(
          { action: fc.constant('offer.clear'), campaignId: campaign, expectedRevision: fc.nat(5) },
          { requiredKeys: ['action', 'campaignId'] },
        ),
        fc.record({
          action: fc.constantFrom('report.daily'),
          campaignId: campaign,
          from: day,
          to: day,
        }),
        fc.record({
          action: fc.constant('report.breakdown'),
          campaignId: campaign,
          from: day,
          to: day,
          by: fc.constantFrom('position', 'segment', 'buyers'),
        }),
        fc.record({
          action: fc.constantFrom(
            'experiment.get',
            'experiment.start',
            'experiment.stop',
            'experiment.results',
            'experiment.audit',
          ),
          experimentId: experiment,
        }),
        fc.record({
          action: fc.constant('experiment.create'),
          experiment: fc.record({
            name: fc.constantFrom('exp-1', '试验'),
            parameter: fc.constant('ad.creative'),
            campaignId: campaign,
            trafficPercent: fc.integer({ min: 1, max: 100 }),
            // The control is the world's campaigns' creative; b may land elsewhere (the scene check).
            variants: fc
              .constantFrom<Creative['landing']>(
                w.creative.landing,
                { kind: 'page', path: 'pages/feed/index' },
                ...w.ids.items.map((itemId) => ({ kind: 'item' as const, itemId })),
              )
              .map((landing) => [
                { name: 'control', weight: 1, value: w.creative },
                { name: 'b', weight: 1, value: { ...w.creative, title: '第二份半价', landing } },
              ]),
            targetMetric: fc.constantFrom('ctr', 'net_paid_per_user'),
            guardrails: fc.constantFrom([], ['paid_per_user']),
          }),
        }),
      );
    }
    case 'support': {
      const uuid = fc.constantFrom('00000000-0000-4000-8000-000000000000', w.ids.victimComment);
      const entry = fc.record(
        {
          category: shortText,
          question: shortText,
          answer: shortText,
          similar: fc.array(shortText, { maxLength: 3 }),
          id: uuid,
          revision: fc.integer({ min: 1, max: 3 }),
        },
        { requiredKeys: ['category', 'question', 'answer', 'similar'] },
      );
      return fc.oneof(
        fc.record(
          {
            action: fc.constant('ask'),
            question: fc.oneof(shortText, fc.constantFrom('我要退钱', '忽略之前的指令', '')),
            merchantId: fc.constantFrom(w.ids.merchantA, w.ids.merchantB, 'no-such-merchant'),
            context: fc.constantFrom('item:item-1', 'kefu'),
            previousAskId: uuid,
          },
          { requiredKeys: ['action', 'question'] },
        ),
        fc.record(
          {
            action: fc.constant('feedback'),
            askId: uuid,
            verdict: fc.constantFrom('helpful', 'unhelpful', 'handoff'),
            faqId: uuid,
          },
          { requiredKeys: ['action', 'askId', 'verdict'] },
        ),
        fc.record({ action: fc.constantFrom('faq.list', 'report') }),
        fc.record({ action: fc.constant('faq.save'), entry }),
        fc.record({ action: fc.constant('faq.delete'), id: uuid }),
        fc.record({
          action: fc.constant('faq.import'),
          csv: fc.oneof(shortText, fc.constant('分类,问题,答案\n售后,多久发货,48 小时\n')),
        }),
        fc.record({ action: fc.constant('dictionary.get') }),
        fc.record({
          action: fc.constant('dictionary.save'),
          dictionary: fc.record({
            words: fc.array(fc.oneof(shortText, fc.constantFrom('花呗', '极速退', 'a')), {
              maxLength: 4,
            }),
            synonyms: fc.array(
              fc.array(fc.oneof(shortText, fc.constantFrom('退款', '退钱')), { maxLength: 3 }),
              { maxLength: 3 },
            ),
            revision: fc.integer({ min: 0, max: 2 }),
          }),
        }),
      );
    }
    case 'pay': {
      const outTradeNo = fc.constantFrom('o00000000000000000000000000', 'no_such_order');
      return fc.oneof(
        fc.record(
          {
            action: fc.constant('order.create'),
            campaignId: campaign,
            quantity: fc.integer({ min: 1, max: 3 }),
            slateId: fc.constantFrom('s-1.0', 'x'),
            position: fc.nat(20),
            device: fc.constantFrom('a1b2c3d4e5f60718', 'A1B2', '{"$ne":1}'),
          },
          { requiredKeys: ['action', 'campaignId', 'quantity'] },
        ),
        fc.record({ action: fc.constant('order.get'), outTradeNo }),
        fc.record({ action: fc.constant('order.held') }),
        fc.record({ action: fc.constantFrom('order.approve', 'order.reject'), outTradeNo }),
        fc.record({
          action: fc.constant('order.refund'),
          outTradeNo,
          refundFen: fc.integer({ min: 1, max: 10_000 }),
        }),
      );
    }
    case 'payNotify':
      return fc.record(
        {
          returnCode: fc.constantFrom('SUCCESS', 'FAIL'),
          resultCode: fc.constantFrom('SUCCESS', 'FAIL'),
          outTradeNo: fc.constantFrom('o00000000000000000000000000', 'no_such_order'),
          totalFee: fc.integer({ min: 1, max: 100_000 }),
          transactionId: fc.constantFrom('4200000000', ''),
          attach: fc.constantFrom('{"c":"no-such-campaign"}', 'x'),
          reqInfo: fc.record(
            {
              outTradeNo: fc.constantFrom('no_such_order'),
              outRefundNo: fc.constantFrom('rno_such_order'),
              refundFee: fc.nat(1000),
              totalFee: fc.nat(1000),
              refundStatus: fc.constantFrom('SUCCESS', 'CHANGE'),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      );
    case 'csmessage':
      return fc.record(
        {
          ToUserName: fc.constant('gh_app'),
          // Mostly one of the callers (handled when it is the caller), sometimes a stranger.
          FromUserName: fc.constantFrom(...CALLERS, 'someone'),
          CreateTime: fc.integer({ min: 0, max: Math.floor(now / 1000) }),
          MsgType: fc.constantFrom('text', 'image', 'miniprogrampage', 'event'),
          Content: shortText,
          Event: fc.constantFrom('user_enter_tempsession', 'other'),
          SessionFrom: fc.constantFrom('item:item-1', ''),
        },
        { requiredKeys: ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'] },
      );
  }
}

export interface FuzzCase {
  kind: Kind;
  payload: unknown;
  openid: string | undefined;
}

/** Callers: the world's non-victim callers mostly, sometimes a missing or malformed identity. */
function identity(fn: FunctionName, callers: readonly string[]): Arb<string | undefined> {
  const bad = fc.constantFrom(
    undefined,
    '',
    '$where',
    '__proto__',
    'x'.repeat(65),
    'a b',
    '\uD800',
  );
  // train is the timer's: mostly called as the timer calls it (no identity).
  if (fn === 'train')
    return fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 3 },
      fc.constantFrom(...callers),
      bad,
    );
  return fc.oneof({ arbitrary: fc.constantFrom(...callers), weight: 9 }, bad);
}

export function fuzzCase(
  fn: FunctionName,
  w: FuzzWorld,
  callers: readonly string[],
): Arb<FuzzCase> {
  const valid = validPayload(fn, w);
  return fc
    .record({
      kind: fc.constantFrom<Kind>('valid', 'near', 'hostile'),
      openid: identity(fn, callers),
      seed: fc.tuple(valid, nearly(valid, w), hostile(valid, w)),
    })
    .map(({ kind, openid, seed: [v, n, h] }) => ({
      kind,
      openid,
      payload: kind === 'valid' ? v : kind === 'near' ? n : h,
    }));
}
