/** Test records with sensible defaults: events, content items, a campaign, an erasure job (override any field). */
import { randomUUID } from 'node:crypto';
import type { Campaign, ContentItem } from '../../typings';
import type { ErasureJob, StoredEvent } from '../../server/ports';

let seq = 0;
export function makeEvent(over: Partial<StoredEvent> = {}): StoredEvent {
  seq += 1;
  return {
    openid: 'user-a',
    eventId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    type: 'click',
    serverTime: 1_700_000_000_000 + seq,
    clientTime: 1_700_000_000_000 + seq,
    clockSkewed: false,
    sessionId: 's1',
    page: 'pages/feed/index',
    itemId: 'item-1',
    slateId: 'slate-1',
    position: 2,
    props: {},
    ...over,
  };
}

/** A stored click of `openid` at `serverTime` on nothing in particular: what retention and erasure count by. */
export function storedEventAt(openid: string, serverTime: number): StoredEvent {
  return {
    openid,
    eventId: randomUUID(),
    type: 'click',
    serverTime,
    clientTime: serverTime,
    clockSkewed: false,
    sessionId: 's',
    page: 'pages/feed/index',
    props: {},
  };
}

export function makeItem(id: string, over: Partial<ContentItem> = {}): ContentItem {
  return {
    id,
    title: `标题 ${id}`,
    summary: '摘要',
    category: '美食',
    tags: ['火锅', '川菜'],
    cover: '',
    authorId: 'author-1',
    publishedAt: 1_700_000_000_000,
    status: 'published',
    ...over,
  };
}

export function makeCampaign(id: string, over: Partial<Campaign> = {}): Campaign {
  return {
    id,
    merchantId: 'm-1',
    name: `活动 ${id}`,
    status: 'active',
    creative: {
      title: '新店开业',
      description: '全场八折',
      image: '',
      landing: { kind: 'page', path: 'pages/feed/index' },
    },
    targeting: {
      interestTags: ['美食'],
      genders: [],
      ageBands: ['18-24'],
      cities: ['上海'],
      scenes: [1001],
    },
    bidFen: 50,
    dailyBudgetFen: 10_000,
    totalBudgetFen: 100_000,
    startAt: 1_700_000_000_000,
    endAt: 1_800_000_000_000,
    hours: [],
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...over,
  };
}

/** A published item of the content function tests: named by its id, by author a-1, an hour old at `now`. */
export function publishedItem(
  id: string,
  now: number,
  over: Partial<ContentItem> = {},
): ContentItem {
  return {
    id,
    title: `标题 ${id}`,
    summary: `摘要 ${id}`,
    category: '美食',
    tags: ['火锅'],
    cover: '',
    authorId: 'a-1',
    publishedAt: now - 3_600_000,
    status: 'published',
    ...over,
  };
}

/** An erasure job of `openid` started at `now` and still at its first step (revision 1). */
export function runningErasure(
  subject: string,
  openid: string,
  now: number,
  over: Partial<ErasureJob> = {},
): ErasureJob {
  return {
    subject,
    openid,
    status: 'running',
    startedAt: now,
    updatedAt: now,
    finishedAt: null,
    step: 0,
    deleted: {},
    rev: 1,
    ...over,
  };
}
