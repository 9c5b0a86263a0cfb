/** The Comments and Likes contracts, run against every adapter. */
import type { Catalog, Comments, Likes, StoredComment } from '../../server/ports';

const comment = (
  id: string,
  itemId: string,
  openid: string,
  createdAt: number,
  text = `text ${id}`,
): StoredComment => ({ id, itemId, openid, createdAt, text });

export function describeContentContract(
  name: string,
  open: () => Promise<{
    comments: Comments;
    likes: Likes;
    catalog: Catalog;
    cleanup: () => Promise<void>;
  }>,
): void {
  describe(`comments and likes contract: ${name}`, () => {
    let comments: Comments;
    let likes: Likes;
    let catalog: Catalog;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ comments, likes, catalog, cleanup } = await open());
    });
    afterEach(() => cleanup());

    it("stores comments whole and lists an item's newest first, paging strictly after a position (ties by id)", async () => {
      const text = '第一条评论 🎉\n第二行 "quoted" $where {a:1}';
      await comments.add(comment('c1', 'i1', 'u1', 100, text));
      await comments.add(comment('c2', 'i1', 'u2', 300));
      await comments.add(comment('c3', 'i1', 'u1', 200));
      await comments.add(comment('c4', 'i1', 'u3', 200));
      await comments.add(comment('c5', 'i2', 'u1', 400));
      expect(await comments.get('c1')).toEqual(comment('c1', 'i1', 'u1', 100, text));
      expect(await comments.get('nope')).toBeNull();
      const all = await comments.listForItem('i1', null, 10);
      expect(all.map((c) => c.id)).toEqual(['c2', 'c4', 'c3', 'c1']);
      const first = await comments.listForItem('i1', null, 2);
      expect(first.map((c) => c.id)).toEqual(['c2', 'c4']);
      const rest = await comments.listForItem('i1', { createdAt: 200, id: 'c4' }, 2);
      expect(rest.map((c) => c.id)).toEqual(['c3', 'c1']);
      expect(await comments.listForItem('i1', { createdAt: 100, id: 'c1' }, 2)).toEqual([]);
      expect(await comments.listForItem('i3', null, 5)).toEqual([]);
    });

    it('removes a comment only for its author', async () => {
      await comments.add(comment('c1', 'i1', 'u1', 100));
      expect(await comments.remove('c1', 'u2')).toBe(false);
      expect(await comments.get('c1')).not.toBeNull();
      expect(await comments.remove('c1', 'u1')).toBe(true);
      expect(await comments.get('c1')).toBeNull();
      expect(await comments.remove('c1', 'u1')).toBe(false);
      expect(await comments.listForItem('i1', null, 5)).toEqual([]);
    });

    it('keeps the latest like state per user and item, whatever order the changes arrive in', async () => {
      await likes.apply([
        { openid: 'u1', itemId: 'a', liked: true, at: 10 },
        { openid: 'u1', itemId: 'b', liked: true, at: 20 },
        { openid: 'u1', itemId: 'c', liked: true, at: 30 },
        { openid: 'u2', itemId: 'a', liked: true, at: 5 },
      ]);
      // An unlike of b, then a late retry of an older like of b: b stays unliked.
      await likes.apply([{ openid: 'u1', itemId: 'b', liked: false, at: 25 }]);
      await likes.apply([{ openid: 'u1', itemId: 'b', liked: true, at: 20 }]);
      // Within one call: liked again later wins; equal times: the later change wins.
      await likes.apply([
        { openid: 'u1', itemId: 'd', liked: true, at: 40 },
        { openid: 'u1', itemId: 'd', liked: false, at: 41 },
        { openid: 'u1', itemId: 'e', liked: false, at: 50 },
        { openid: 'u1', itemId: 'e', liked: true, at: 50 },
      ]);
      expect(await likes.list('u1', null, 10)).toEqual([
        { itemId: 'e', at: 50 },
        { itemId: 'c', at: 30 },
        { itemId: 'a', at: 10 },
      ]);
      expect(await likes.list('u2', null, 10)).toEqual([{ itemId: 'a', at: 5 }]);
      expect(await likes.list('u3', null, 10)).toEqual([]);
      expect((await likes.liked('u1', ['a', 'b', 'c', 'd', 'e', 'zz'])).sort()).toEqual([
        'a',
        'c',
        'e',
      ]);
      expect(await likes.liked('u2', ['b'])).toEqual([]);
    });

    it('pages the liked list strictly after a position, ties by item id', async () => {
      await likes.apply(
        ['a', 'b', 'c', 'd', 'e'].map((itemId, i) => ({
          openid: 'u1',
          itemId,
          liked: true,
          at: i < 2 ? 100 : 200 + i,
        })),
      );
      const first = await likes.list('u1', null, 3);
      expect(first.map((e) => e.itemId)).toEqual(['e', 'd', 'c']);
      const second = await likes.list('u1', first[2], 3);
      expect(second).toEqual([
        { itemId: 'b', at: 100 },
        { itemId: 'a', at: 100 },
      ]);
      expect(await likes.list('u1', { itemId: 'b', at: 100 }, 3)).toEqual([
        { itemId: 'a', at: 100 },
      ]);
    });

    it("lists only top-level comments per item, and a thread's replies oldest first", async () => {
      await comments.add(comment('c1', 'i1', 'u1', 100));
      await comments.add(comment('c2', 'i1', 'u2', 200));
      await comments.add({ ...comment('r1', 'i1', 'u2', 300), parentId: 'c1' });
      await comments.add({ ...comment('r2', 'i1', 'u3', 150), parentId: 'c1', replyTo: 'r1' });
      await comments.add({ ...comment('r3', 'i1', 'u1', 250), parentId: 'c2' });
      await comments.add({ ...comment('x1', 'i2', 'u1', 250), parentId: 'c9' });
      expect((await comments.listForItem('i1', null, 10)).map((c) => c.id)).toEqual(['c2', 'c1']);
      const replies = await comments.listReplies(['c1', 'c2'], 10);
      expect(replies.map((c) => c.id)).toEqual(['r2', 'r3', 'r1']);
      expect(replies[0]).toEqual({
        ...comment('r2', 'i1', 'u3', 150),
        parentId: 'c1',
        replyTo: 'r1',
      });
      expect((await comments.listReplies(['c1', 'c2'], 2)).map((c) => c.id)).toEqual(['r2', 'r3']);
      expect(await comments.listReplies(['c2'], 10)).toEqual([
        { ...comment('r3', 'i1', 'u1', 250), parentId: 'c2' },
      ]);
      expect(await comments.listReplies([], 10)).toEqual([]);
      expect(await comments.countVisible('i1')).toBe(5);
      expect(await comments.countVisible('i3')).toBe(0);
    });

    it('takes one report per user and comment, queues it, and a decision takes it out of the queue', async () => {
      await comments.add(comment('c1', 'i1', 'u1', 100));
      await comments.add(comment('c2', 'i1', 'u1', 200));
      await comments.add({
        ...comment('c3', 'i1', 'u2', 300),
        moderation: 'review',
        flaggedAt: 300,
      });
      expect(await comments.countVisible('i1')).toBe(2);
      expect(
        await comments.report({ commentId: 'c1', openid: 'u2', reason: 'spam', at: 400 }),
      ).toBe(true);
      expect(
        await comments.report({ commentId: 'c1', openid: 'u2', reason: 'abuse', at: 450 }),
      ).toBe(false);
      expect(
        await comments.report({ commentId: 'c1', openid: 'u3', reason: 'spam', at: 500 }),
      ).toBe(true);
      expect(
        await comments.report({ commentId: 'nope', openid: 'u3', reason: 'spam', at: 500 }),
      ).toBe(false);
      expect(await comments.get('c1')).toEqual({
        ...comment('c1', 'i1', 'u1', 100),
        reports: 2,
        reasons: { spam: 2 },
        flaggedAt: 400,
      });
      const queue = await comments.listFlagged(null, 10);
      expect(queue.map((c) => c.id)).toEqual(['c1', 'c3']);
      expect(
        (await comments.listFlagged({ flaggedAt: 400, id: 'c1' }, 10)).map((c) => c.id),
      ).toEqual(['c3']);
      expect(await comments.decide('c1', 'hidden')).toBe(true);
      expect(await comments.decide('c3', null)).toBe(true);
      expect(await comments.decide('nope', null)).toBe(false);
      expect(await comments.listFlagged(null, 10)).toEqual([]);
      expect((await comments.get('c1'))?.moderation).toBe('hidden');
      expect((await comments.get('c3'))?.moderation).toBeUndefined();
      expect(await comments.countVisible('i1')).toBe(2);
      // A later report of a decided comment queues it again.
      expect(
        await comments.report({ commentId: 'c3', openid: 'u1', reason: 'other', at: 900 }),
      ).toBe(true);
      expect((await comments.listFlagged(null, 10)).map((c) => [c.id, c.flaggedAt])).toEqual([
        ['c3', 900],
      ]);
    });

    it('counts the users who like an item now', async () => {
      await likes.apply([
        { openid: 'u1', itemId: 'a', liked: true, at: 10 },
        { openid: 'u2', itemId: 'a', liked: true, at: 10 },
        { openid: 'u3', itemId: 'a', liked: false, at: 10 },
        { openid: 'u1', itemId: 'b', liked: true, at: 10 },
      ]);
      expect(await likes.countLiked('a')).toBe(2);
      await likes.apply([{ openid: 'u2', itemId: 'a', liked: false, at: 20 }]);
      expect(await likes.countLiked('a')).toBe(1);
      expect(await likes.countLiked('z')).toBe(0);
    });

    it('stores item bodies apart from the items and replaces them', async () => {
      expect(await catalog.body('i1')).toBeNull();
      const body = '# 标题\n\n第一段 "quoted" $where\n\n![图](cloud://env/a.jpg)';
      await catalog.putBodies([
        { itemId: 'i1', body },
        { itemId: 'i2', body: '另一篇' },
      ]);
      expect(await catalog.body('i1')).toBe(body);
      await catalog.putBodies([{ itemId: 'i2', body: '改过的' }]);
      expect(await catalog.body('i2')).toBe('改过的');
      expect(await catalog.bodies(['i2', 'nope', 'i1'])).toEqual(
        new Map([
          ['i2', '改过的'],
          ['i1', body],
        ]),
      );
      expect(await catalog.bodies([])).toEqual(new Map());
    });
  });
}
