/**
 * The authorisation matrix of every action of every function (issue 22): each role — no WeChat
 * identity, an ordinary user, merchant A's staff and owner, merchant B's owner, a platform admin —
 * × each action, on resources of merchant A and of the owner of A, answers as the table says;
 * a refusal changes nothing stored. The actions are read from the functions' own schemas, so a new
 * action (or function) without a row fails the completeness test before it ships unreviewed.
 */
import { makeItem } from '../../helpers/fixtures';
import { QUESTIONNAIRE_VERSION } from '../../../server/engine/risk-assessment';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { FunctionName } from '../../../typings';
import { functions } from '../../../server/functions';
import { toHandler } from '../../../server/runtime/function';
import type { LocalPay } from '../../../server/adapters/sqlite/local-pay';
import { handleOf } from '../../../server/social/people';
import { LOCAL_SHARE_INFO_PREFIX } from '../../../server/adapters/sqlite/local-open-data';
import {
  ADMIN,
  buildMerchantWorld,
  campaignOfA,
  OWNER_A,
  OWNER_B,
  STAFF_A,
  staffCodeOfA,
  USER,
  validInput,
  type MerchantWorld,
} from '../../helpers/merchant-world';
import { openTempSqliteStores, type OpenedStores } from '../../helpers/sqlite-stores';

const ROLES = ['none', USER, STAFF_A, OWNER_A, OWNER_B, ADMIN] as const;
type Outcome =
  | 'ok'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_INPUT'
  | 'COMMENT_REJECTED';

/**
 * `function:action` (or the function alone when it has no actions) → outcome per role, in ROLES
 * order: none, user, staff A, owner A, owner B, admin. Resources are merchant A's (a campaign or
 * experiment in the state the action needs) and, for comment.delete, a comment owner A posted.
 */
const MATRIX: Record<string, Outcome[]> = {
  recommend: ['UNAUTHENTICATED', 'ok', 'ok', 'ok', 'ok', 'ok'],
  track: ['UNAUTHENTICATED', 'ok', 'ok', 'ok', 'ok', 'ok'],
  // The timer's, or a platform admin's: any other caller with a WeChat identity is refused.
  train: ['ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'],
};
const ALL_OK: Outcome[] = ['UNAUTHENTICATED', 'ok', 'ok', 'ok', 'ok', 'ok'];
for (const a of [
  'consent.set',
  'consent.get',
  'personalization.set',
  'profile.get',
  'demographics.set',
  'demographics.clear',
  'demographics.get',
  'risk.questionnaire',
  'risk.assess',
  'risk.get',
  'risk.clear',
  'interests.set',
  'interests.get',
  'export.page',
  'erase.start',
  'erase.status',
  'subscribe.get',
  'subscribe.record',
])
  MATRIX[`account:${a}`] = ALL_OK; // each caller acts on their own account only
for (const a of [
  'item.get',
  'ad.get',
  'comment.list',
  'comment.post',
  'likes.list',
  'like.set',
  'search',
  'search.hot', // 热门搜索: k-anonymous, names no one
])
  MATRIX[`content:${a}`] = ALL_OK;
// 行程: each caller acts on their own trip only.
for (const a of ['trip.add', 'trip.remove', 'trip.list']) MATRIX[`content:${a}`] = ALL_OK;
// Social: each caller acts on their own follows and switch; a handle nobody was shown is absent.
for (const a of ['social.suggestions', 'social.following', 'social.followers', 'social.hide'])
  MATRIX[`content:${a}`] = ALL_OK;
// A group open: each caller records only their own membership (the cloudID is their own).
MATRIX['content:social.group'] = ALL_OK;
for (const a of ['social.follow', 'social.unfollow'])
  MATRIX[`content:${a}`] = [
    'UNAUTHENTICATED',
    'NOT_FOUND',
    'NOT_FOUND',
    'NOT_FOUND',
    'NOT_FOUND',
    'NOT_FOUND',
  ];
// Authors: each caller follows an item's author for themselves; an author they do not follow is absent.
for (const a of ['author.follow', 'author.following']) MATRIX[`content:${a}`] = ALL_OK;
MATRIX['content:author.unfollow'] = [
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'NOT_FOUND',
  'NOT_FOUND',
  'NOT_FOUND',
  'NOT_FOUND',
];
// Someone else's comment is answered as absent.
MATRIX['content:comment.delete'] = [
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'NOT_FOUND',
  'ok',
  'NOT_FOUND',
  'NOT_FOUND',
];
// 举报: anyone may report a comment they did not write (owner A wrote it).
MATRIX['content:comment.report'] = ['UNAUTHENTICATED', 'ok', 'ok', 'FORBIDDEN', 'ok', 'ok'];
// The moderation queue and its decisions are the platform admins'.
for (const a of ['comment.flagged', 'comment.moderate'])
  MATRIX[`content:${a}`] = [
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'FORBIDDEN',
    'FORBIDDEN',
    'FORBIDDEN',
    'ok',
  ];
const M = (outcomes: Outcome[]): Outcome[] => ['UNAUTHENTICATED', ...outcomes];
Object.assign(MATRIX, {
  'merchant:me': M(['ok', 'ok', 'ok', 'ok', 'ok']),
  'merchant:merchant.create': M(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok']),
  'merchant:merchant.list': M(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok']),
  'merchant:invite.create': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok']),
  // A fresh staff code of A: anyone who is not yet a member joins with it.
  'merchant:invite.redeem': M(['ok', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'ok']),
  // Managing merchant A's people is its owner's (and a platform admin's).
  'merchant:member.list': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok']),
  'merchant:member.remove': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok']),
  'merchant:invite.list': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok']),
  'merchant:invite.revoke': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok']),
  'merchant:merchant.audit': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'FORBIDDEN', 'ok']),
  // Cloud ad images are the merchant owner's; a file staged in owner A's folder is A's alone.
  'merchant:image.stage': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'FORBIDDEN']),
  'merchant:image.publish': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'INVALID_INPUT', 'FORBIDDEN']),
  'merchant:campaign.list': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'FORBIDDEN']),
  'merchant:targeting.options': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'FORBIDDEN']),
  // The Mini Program's performance report is the platform's: admins only.
  'merchant:perf.report': M(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok']),
  'merchant:campaign.get': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:campaign.create': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'FORBIDDEN']),
  'merchant:campaign.update': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:campaign.start': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:campaign.pause': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:campaign.resume': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:campaign.end': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:campaign.audit': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:offer.set': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:offer.clear': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  // Paying: anyone buys merchant A's offer; an order is its buyer's (the user's here), and only
  // the owner of the merchant that sold it refunds it (B's owner does not see it).
  'pay:order.create': ALL_OK,
  'pay:order.get': M(['ok', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']),
  'pay:order.refund': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  // Reviewing orders the payment risk check held is the selling merchant's owner's alone.
  'pay:order.held': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'ok', 'FORBIDDEN']),
  'pay:order.approve': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'pay:order.reject': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  // WeChat Pay's notify: answered (errcode 0) whoever calls; a forged one changes nothing.
  payNotify: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'],
  'merchant:report.daily': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  'merchant:report.breakdown': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'FORBIDDEN']),
  // A creative test is the merchant owner's; a platform admin may run one on its behalf.
  'merchant:experiment.list': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'ok']),
  'merchant:experiment.create': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'ok']),
  'merchant:experiment.get': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'ok']),
  'merchant:experiment.start': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'ok']),
  'merchant:experiment.stop': M(['FORBIDDEN', 'FORBIDDEN', 'ok', 'NOT_FOUND', 'ok']),
  'merchant:experiment.results': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'ok']),
  'merchant:experiment.audit': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'ok']),
  // 智能客服: anyone asks, and gives feedback on an ask they hold the id of (asks name no user).
  'support:ask': ALL_OK,
  'support:feedback': ALL_OK,
  // The FAQ editor: a merchant's members edit their own merchant's FAQ, an admin who is no
  // member the platform's; merchant A's entry is absent to B and to the platform's editor.
  'support:faq.list': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'ok']),
  'support:faq.save': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'ok']),
  'support:faq.import': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'ok']),
  'support:report': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'ok']),
  'support:faq.delete': M(['FORBIDDEN', 'ok', 'ok', 'NOT_FOUND', 'NOT_FOUND']),
  // The dictionary and synonyms: the same editors, each of their own scope. Every role saves over
  // revision 0, so owner A's save, after staff A's on the same merchant, conflicts (compare-and-set).
  'support:dictionary.get': M(['FORBIDDEN', 'ok', 'ok', 'ok', 'ok']),
  'support:dictionary.save': M(['FORBIDDEN', 'ok', 'CONFLICT', 'ok', 'ok']),
  // A customer-service push is handled only under the identity of its sender (the user here).
  csmessage: M(['ok', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']),
});

/** Every action each function's schema accepts (a discriminated union on `action`), or the function itself. */
function declaredActions(): string[] {
  const out: string[] = [];
  for (const [name, def] of Object.entries(functions)) {
    const options = (def.input as unknown as { options?: z.ZodObject[] }).options;
    if (!options) {
      out.push(name);
      continue;
    }
    for (const o of options) {
      const action = o.shape.action as unknown as { values?: Set<string>; options?: string[] };
      for (const a of action.values ?? action.options ?? []) out.push(`${name}:${a}`);
    }
  }
  return out.sort();
}

const handlers = Object.fromEntries(
  Object.entries(functions).map(([n, def]) => [n, toHandler(def as never)]),
) as Record<FunctionName, ReturnType<typeof toHandler>>;

describe('the authorisation matrix', () => {
  it('has a row for every action of every function, and no row for an action that is gone', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(declaredActions());
    for (const [k, row] of Object.entries(MATRIX))
      expect([k, row.length]).toEqual([k, ROLES.length]);
  });

  describe.each(Object.keys(MATRIX))('%s', (key) => {
    let opened: OpenedStores;
    let w: MerchantWorld;
    beforeEach(async () => {
      opened = await openTempSqliteStores();
      w = await buildMerchantWorld(opened.stores);
      for (const who of ROLES.slice(1))
        await handlers.account(
          {
            payload: { action: 'consent.set', noticeVersion: '2026-11', granted: true },
            openid: who,
          },
          w.deps,
        );
    });
    afterEach(() => opened.cleanup());

    it('answers each role as the table says; a refusal changes nothing', async () => {
      const seen: string[] = [];
      const expected: string[] = [];
      for (const [i, role] of ROLES.entries()) {
        const [fn, action] = key.split(':') as [FunctionName, string | undefined];
        const payload = await payloadFor(w, fn, action);
        const before = await opened.dumpAll!();
        const res = await handlers[fn](
          { payload, openid: role === 'none' ? undefined : role },
          w.deps,
        );
        seen.push(`${role}: ${res.ok ? 'ok' : res.code}`);
        expected.push(`${role}: ${MATRIX[key]![i]}`);
        if (!res.ok) {
          expect(res.message).toMatch(/[\u4e00-\u9fff]/);
          expect(await opened.dumpAll!()).toEqual(before);
        }
        if (action === 'invite.redeem' && res.ok) await opened.stores.merchants.removeMember(role);
      }
      expect(seen).toEqual(expected);
    });
  });
});

/** A campaign of merchant A in `status`, made by its owner. */
const campaignA = campaignOfA;

/** A creative experiment of merchant A on one of its campaigns, drafted or running. */
async function experimentA(w: MerchantWorld, running: boolean): Promise<string> {
  const campaignId = await campaignA(w, 'active');
  const creative = validInput().creative;
  const { experiment } = await w.ok(OWNER_A, {
    action: 'experiment.create',
    experiment: {
      name: '标题测试',
      parameter: 'ad.creative',
      campaignId,
      trafficPercent: 10,
      variants: [
        { name: 'control', weight: 1, value: creative },
        { name: 'b', weight: 1, value: { ...creative, title: '第二份半价' } },
      ],
      targetMetric: 'ctr',
      guardrails: [],
    },
  });
  if (running) await w.ok(OWNER_A, { action: 'experiment.start', experimentId: experiment.id });
  return experiment.id;
}

async function payloadFor(w: MerchantWorld, fn: FunctionName, action?: string): Promise<unknown> {
  switch (fn) {
    case 'recommend':
      return { limit: 3 };
    case 'train':
      return {};
    case 'track':
      return {
        schemaVersion: 1,
        events: [
          {
            eventId: randomUUID(),
            type: 'impression',
            clientTime: w.deps.now() - 1000,
            sessionId: 's-1',
            page: 'pages/feed/index',
            itemId: 'item-1',
          },
        ],
      };
    case 'account':
      switch (action) {
        case 'consent.set':
          return { action, noticeVersion: '2026-12', granted: true };
        case 'personalization.set':
          return { action, enabled: false };
        case 'demographics.set':
          return { action, city: '成都' };
        case 'risk.assess':
          return { action, version: QUESTIONNAIRE_VERSION, answers: [2, 2, 2, 2, 1, 2] };
        case 'interests.set':
          return { action, categories: ['美食'] };
        case 'subscribe.record':
          return { action, choices: { reply: 'accept' } };
        default:
          return { action };
      }
    case 'content':
      switch (action) {
        case 'item.get':
        case 'comment.list':
          return { action, itemId: 'item-1' };
        case 'like.set':
          return { action, itemId: 'item-1', liked: true, at: w.deps.now() };
        case 'ad.get':
          return { action, adId: await campaignA(w, 'active') };
        case 'comment.post':
          return { action, itemId: 'item-1', text: '看起来很好吃' };
        case 'comment.flagged':
        case 'search.hot':
          return { action };
        case 'search':
          return { action, query: '火锅' };
        case 'comment.report':
        case 'comment.moderate':
        case 'comment.delete': {
          const res = await handlers.content(
            {
              payload: { action: 'comment.post', itemId: 'item-1', text: '店主的评论' },
              openid: OWNER_A,
            },
            w.deps,
          );
          if (!res.ok) throw new Error(`comment.post: ${res.code}`);
          const commentId = (res.data as { comment: { id: string } }).comment.id;
          if (action === 'comment.report') return { action, commentId, reason: 'spam' };
          if (action === 'comment.moderate') return { action, commentId, decision: 'hide' };
          return { action, commentId };
        }
        case 'social.follow':
        case 'social.unfollow':
          return { action, handle: handleOf('nobody-shown') };
        case 'social.hide':
          return { action, hidden: true };
        case 'social.group':
          return { action, cloudID: `${LOCAL_SHARE_INFO_PREFIX}tGmatrixGroup`, shareId: 'share-1' };
        case 'trip.add':
        case 'trip.remove':
          await w.deps.stores.catalog.upsert([
            makeItem('sight-1', {
              category: '旅行',
              place: { city: '成都', lat: 30.67, lng: 104.06 },
            }),
          ]);
          return { action, itemId: 'sight-1' };
        case 'author.follow':
          return { action, itemId: 'item-1' };
        case 'author.unfollow':
          return { action, authorId: 'author-not-followed' };
        default:
          return { action };
      }
    case 'merchant':
      switch (action) {
        case 'merchant.create':
          return { action, name: '新商家' };
        case 'invite.create':
          return { action, merchantId: w.merchantA, role: 'staff' };
        case 'invite.redeem':
          return { action, code: await staffCodeOfA(w) };
        case 'member.list':
        case 'invite.list':
        case 'merchant.audit':
          return { action, merchantId: w.merchantA };
        case 'member.remove': {
          // A fresh staff member of A each time, so every role meets one to remove.
          const who = `extra-staff-${randomUUID().slice(0, 8)}`;
          await w.ok(who, { action: 'invite.redeem', code: await staffCodeOfA(w) });
          const list = (await w.ok(OWNER_A, {
            action: 'member.list',
            merchantId: w.merchantA,
          })) as {
            members: { memberId: string; role: string; displayName: string }[];
          };
          const mine = (await w.ok(who, { action: 'me' })) as {
            membership: { memberId?: string } | null;
          };
          const memberId =
            mine.membership?.memberId ??
            list.members.filter((m) => m.role === 'staff').at(-1)!.memberId;
          return { action, merchantId: w.merchantA, memberId };
        }
        case 'invite.revoke': {
          const before = (await w.ok(OWNER_A, {
            action: 'invite.list',
            merchantId: w.merchantA,
          })) as {
            invitations: { inviteId: string }[];
          };
          await w.ok(OWNER_A, { action: 'invite.create', merchantId: w.merchantA, role: 'staff' });
          const after = (await w.ok(OWNER_A, {
            action: 'invite.list',
            merchantId: w.merchantA,
          })) as {
            invitations: { inviteId: string }[];
          };
          const known = new Set(before.invitations.map((i) => i.inviteId));
          return {
            action,
            merchantId: w.merchantA,
            inviteId: after.invitations.find((i) => !known.has(i.inviteId))!.inviteId,
          };
        }
        case 'image.stage':
          return { action, ext: 'png' };
        case 'image.publish': {
          // A fresh PNG staged by owner A each time (as the client's upload leaves it).
          const { cloudPath } = await w.ok(OWNER_A, { action: 'image.stage', ext: 'png' });
          const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
          await w.deps.stores.blobs.put(cloudPath, png);
          return { action, fileID: `local://${cloudPath}` };
        }
        case 'campaign.create':
          return { action, campaign: validInput() };
        case 'offer.set':
          return {
            action,
            campaignId: await campaignA(w, 'active'),
            offer: { title: '套餐', priceFen: 990, stock: 10, perUserLimit: 2 },
          };
        case 'offer.clear':
        case 'campaign.get':
        case 'campaign.audit':
        case 'campaign.start':
          return { action, campaignId: await campaignA(w, 'draft') };
        case 'campaign.resume':
          return { action, campaignId: await campaignA(w, 'paused') };
        case 'campaign.update':
          return { action, campaignId: await campaignA(w, 'active'), patch: { bidFen: 80 } };
        case 'campaign.pause':
        case 'campaign.end':
          return { action, campaignId: await campaignA(w, 'active') };
        case 'report.daily':
          return {
            action,
            campaignId: await campaignA(w, 'active'),
            from: '20261128',
            to: '20261129',
          };
        case 'report.breakdown':
          return {
            action,
            campaignId: await campaignA(w, 'active'),
            from: '20261128',
            to: '20261128',
            by: 'segment',
          };
        case 'experiment.create': {
          const campaignId = await campaignA(w, 'active');
          const creative = validInput().creative;
          return {
            action,
            experiment: {
              name: '标题测试',
              parameter: 'ad.creative',
              campaignId,
              trafficPercent: 10,
              variants: [
                { name: 'control', weight: 1, value: creative },
                { name: 'b', weight: 1, value: { ...creative, title: '第二份半价' } },
              ],
              targetMetric: 'ctr',
              guardrails: [],
            },
          };
        }
        case 'experiment.start':
        case 'experiment.get':
        case 'experiment.audit':
          return { action, experimentId: await experimentA(w, false) };
        case 'experiment.stop':
        case 'experiment.results':
          return { action, experimentId: await experimentA(w, true) };
        default:
          return { action };
      }
    case 'support': {
      const entry = { category: '售后', question: '多久发货', answer: '48 小时内', similar: [] };
      switch (action) {
        case 'ask':
          return { action, question: '多久发货' };
        case 'feedback': {
          const asked = await handlers.support(
            { payload: { action: 'ask', question: '多久发货' }, openid: USER },
            w.deps,
          );
          if (!asked.ok) throw new Error(`ask: ${asked.code}`);
          return { action, askId: (asked.data as { askId: string }).askId, verdict: 'helpful' };
        }
        case 'faq.save':
          return { action, entry };
        case 'faq.import':
          return { action, csv: '分类,问题,答案\n售后,多久发货,48 小时内\n' };
        case 'dictionary.save':
          return {
            action,
            dictionary: { words: ['极速退'], synonyms: [['退款', '退钱']], revision: 0 },
          };
        case 'faq.delete': {
          const saved = await handlers.support(
            { payload: { action: 'faq.save', entry }, openid: OWNER_A },
            w.deps,
          );
          if (!saved.ok) throw new Error(`faq.save: ${saved.code}`);
          return { action, id: (saved.data as { entry: { id: string } }).entry.id };
        }
        default:
          return { action };
      }
    }
    case 'pay': {
      if (action === 'order.held') return { action };
      const review = action === 'order.approve' || action === 'order.reject';
      const campaignId = await campaignA(w, 'active');
      await w.ok(OWNER_A, {
        action: 'offer.set',
        campaignId,
        // ¥3,000 far above any habit: the payment risk check holds the user's order for review.
        offer: { title: '套餐', priceFen: review ? 300_000 : 990, stock: 100, perUserLimit: 5 },
      });
      if (action === 'order.create') return { action, campaignId, quantity: 1 };
      const made = await handlers.pay(
        { payload: { action: 'order.create', campaignId, quantity: 1 }, openid: USER },
        w.deps,
      );
      if (!made.ok) throw new Error(`order.create: ${made.code}`);
      const { outTradeNo } = (made.data as { order: { outTradeNo: string } }).order;
      if (action === 'order.get' || review) return { action, outTradeNo };
      const notify = (w.deps.stores.payments as LocalPay).userPays(outTradeNo)!;
      await handlers.payNotify({ payload: notify, openid: undefined }, w.deps);
      return { action, outTradeNo, refundFen: 500 };
    }
    case 'payNotify':
      return {
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        outTradeNo: 'o_forged_unknown',
        totalFee: 1,
      };
    case 'csmessage':
      return {
        ToUserName: 'gh_app',
        FromUserName: USER,
        CreateTime: Math.floor(w.deps.now() / 1000),
        MsgType: 'text',
        Content: '多久发货',
      };
  }
}
