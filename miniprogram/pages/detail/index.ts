/**
 * Content detail: the item (from the feed's card store, or through `content` item.get when the
 * page opens cold from a share or a reload) with its body (rich text) and its like and comment
 * counts, like / unlike, the comment list (newest first, paged, replies one level deep) and
 * posting or replying through `content` comment.post, 举报, sharing with a share id, and dwell time,
 * each tracked with the slate and position the card was served at. The server records a posted
 * comment as the `comment` event itself, so the page tracks none.
 */
import type { AuthorView, ContentCard, ContentResponse, RichNode } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { callAction } from '../../services/api';
import { toApiError } from '../../services/api-error';
import { loadable } from '../../behaviors/loadable';
import { recallItem } from '../../services/card-store';
import { COMMENT_PAGE, takePrefetched } from '../../services/prefetch';
import { perfContext } from '../../services/perf-collect';
import { confirmModal } from '../../services/confirm';
import { createDwellTimer } from '../../services/dwell';
import type { DwellTimer } from '../../services/dwell';
import { newId } from '../../services/ids';
import { askSubscribe } from '../../services/subscribe';
import { enableShareMenus, openedVia } from '../../services/share';
import type { ShareTarget } from '../../services/share';
import { slateRefOf, toQuery } from '../../services/slate-ref';
import type { SlateRef } from '../../services/slate-ref';
import { proofText } from '../feed/card-view';
import { MAX_COMMENT_CHARS, checkComment } from './comment';
import { countsText, safeNodes } from './body';
import { REPORT_CHOICES, mergeRows, withPosted, withoutComment } from './comments';
import type { CommentRow } from './comments';

const ROUTE = 'pages/detail/index';
const CST_MS = 8 * 3600_000;
/** Comments per page (the prefetched first page's size). */
export { COMMENT_PAGE };

/** "2026年11月28日" in China time; by hand because Intl date formats differ between device engines. */
function formatDate(ms: number): string {
  const d = new Date(ms + CST_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** What item.get adds to the card's item: the body, the counts, social proof, the author. */
function itemAnswerData(
  res: Extract<ContentResponse, { action: 'item.get' }>,
): Pick<
  DetailData,
  | 'item'
  | 'publishedText'
  | 'proofText'
  | 'author'
  | 'body'
  | 'likeCount'
  | 'commentCount'
  | 'countsText'
> {
  const likeCount = res.likes ?? null;
  const commentCount = res.comments ?? null;
  return {
    ...itemData(res.item),
    proofText: proofText(res.socialProof),
    author: res.author ?? null,
    body: safeNodes(res.body),
    likeCount,
    commentCount,
    countsText: countsText(likeCount, commentCount),
  };
}

/** The item and its date line, as the page shows them. */
function itemData(item: ContentCard['item']): Pick<DetailData, 'item' | 'publishedText'> {
  return { item, publishedText: item.publishedAt ? formatDate(item.publishedAt) : '' };
}

/**
 * With `loadable`'s status (loading: fetching the item on a cold open; ready; missing: it does not
 * exist or was taken down; error: could not ask) and errorMessage.
 */
interface DetailData {
  item: ContentCard['item'] | null;
  publishedText: string;
  /** The body as rich-text nodes (checked again by safeNodes); empty: the summary stands in. */
  body: RichNode[];
  /** Users who like it and its visible comments, from item.get (null until it answers). */
  likeCount: number | null;
  commentCount: number | null;
  countsText: string;
  liked: boolean;
  /** Social proof ("3 位好友赞过") from item.get; empty when the server sent none. */
  proofText: string;
  /** The item's author from item.get (关注作者); null until it answers. */
  author: AuthorView | null;
  /** A follow or unfollow of the author is on its way. */
  authorBusy: boolean;
  /** 行程 (旅游出行): the item was added to the trip here; a change of it is on its way. */
  inTrip: boolean;
  tripBusy: boolean;
  commentText: string;
  commentError: string;
  /** The comment being replied to (回复 …), or null for a new comment. */
  replyTo: { id: string; author: string } | null;
  maxComment: number;
  posting: boolean;
  /** After a comment is posted: the offer to be told of replies (订阅消息), and its outcome line. */
  notifyOffer: boolean;
  notifyText: string;
  comments: CommentRow[];
  /** idle (more may come), loading, done (no more), error (the last page failed: retry). */
  commentsState: 'idle' | 'loading' | 'done' | 'error';
  commentsError: string;
}

type DetailMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  onShow(): void;
  onHide(): void;
  onUnload(): void;
  onReachBottom(): Promise<void>;
  onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent;
  onShareTimeline(): WechatMiniprogram.Page.ICustomTimelineContent;
  share(target: ShareTarget): string;
  load(): Promise<void>;
  loadItem(): Promise<void>;
  contentShown(): void;
  loadComments(): Promise<void>;
  onMoreComments(): Promise<void>;
  /** 点赞 / 取消: stored through `content` like.set (the answer is what shows), and tracked beside it. */
  onLikeTap(): Promise<void>;
  /** 关注作者 / 已关注: follows or unfollows the item's author; a refusal is shown as a toast. */
  onAuthorTap(): Promise<void>;
  /** 加入行程 / 移出行程 (travel items: those with a place); a refusal is shown as a toast. */
  onTripTap(): Promise<void>;
  /** van-field's `change`: its detail is the text itself. */
  onCommentInput(e: { detail: string }): void;
  onCommentSubmit(): Promise<void>;
  onDeleteComment(e: WechatMiniprogram.BaseEvent): Promise<void>;
  /** 回复 on a comment or a reply: the next post answers it. */
  onReplyTap(e: WechatMiniprogram.BaseEvent): void;
  onCancelReply(): void;
  /** 举报 on someone else's comment: a reason from an action sheet, then `content` comment.report. */
  onReportTap(e: WechatMiniprogram.BaseEvent): Promise<void>;
  /** The counts line after a change here. */
  setCounts(likes: number | null, comments: number | null): void;
  onAskReplyNotice(): Promise<void>;
};

interface DetailInstance {
  itemId: string;
  ref: SlateRef;
  dwell: DwellTimer | undefined;
  /** Cursor of the next comment page; null before the first and after the last. */
  commentCursor: string | null;
  /** Set once the person taps like here: a late item.get answer must not overwrite the tap. */
  likeTouched: boolean;
  /** When onLoad began, until the content shows (then null): the time-to-content measurement. */
  loadStartedAt: number | null;
}

function confirmDelete(): Promise<boolean> {
  return confirmModal({
    title: '删除评论',
    content: '删除后不可恢复',
    confirmText: '删除',
    confirmColor: '#ee0a24',
  });
}

Component<
  DetailData,
  Record<string, never>,
  DetailMethods,
  [typeof loadable],
  DetailInstance,
  true
>({
  behaviors: [loadable],

  data: {
    item: null,
    publishedText: '',
    body: [],
    likeCount: null,
    commentCount: null,
    countsText: '',
    liked: false,
    proofText: '',
    author: null,
    authorBusy: false,
    inTrip: false,
    tripBusy: false,
    commentText: '',
    commentError: '',
    replyTo: null,
    maxComment: MAX_COMMENT_CHARS,
    posting: false,
    notifyOffer: false,
    notifyText: '',
    comments: [],
    commentsState: 'idle',
    commentsError: '',
  },

  lifetimes: {
    created() {
      this.itemId = '';
      this.ref = {};
      this.dwell = undefined;
      this.commentCursor = null;
      this.likeTouched = false;
    },
    detached() {
      this.dwell?.stop();
    },
  },

  methods: {
    async onLoad(query) {
      this.loadStartedAt = Date.now();
      this.itemId = query?.itemId ?? '';
      this.ref = slateRefOf(query);
      const tracker = getTracker();
      const itemId = this.itemId || undefined;
      // On a cold start from a share, consent is still being settled: the event waits for it.
      if (query?.shareId)
        tracker.trackWhenDecided('share_open', {
          shareId: query.shareId,
          itemId,
          target: openedVia(),
        });
      enableShareMenus();
      this.dwell = createDwellTimer((dwellMs) =>
        tracker.track('dwell', { dwellMs, itemId, ...this.ref, page: ROUTE }),
      );
      if (!this.itemId) {
        this.setData({ status: 'missing' });
        return;
      }
      // Prefetched by the feed (issue 18): everything the page shows is here, nothing to wait for.
      const pre = takePrefetched(this.itemId);
      if (pre) {
        this.commentCursor = pre.comments.cursor;
        this.setData({
          status: 'ready',
          ...itemAnswerData(pre.item),
          liked: pre.item.liked,
          comments: mergeRows([], pre.comments.comments),
          commentsState: pre.comments.cursor ? 'idle' : 'done',
        });
        this.contentShown();
        return;
      }
      const item = recallItem(this.itemId);
      if (item) this.setData({ status: 'ready', ...itemData(item) });
      await this.load();
    },

    onShow() {
      this.dwell?.start();
    },

    onHide() {
      this.dwell?.stop();
    },

    onUnload() {
      this.dwell?.stop();
    },

    async onReachBottom() {
      await this.onMoreComments();
    },

    /** To a chat or a group: WeChat does not tell which, so `chat`; a group's opener says `group`. */
    onShareAppMessage() {
      const shareId = this.share('chat');
      return {
        title: this.data.item?.title ?? '推荐内容',
        path: `/${ROUTE}?${toQuery({ itemId: this.itemId, shareId })}`,
      };
    },

    /** 分享到朋友圈: the same page, opened there in WeChat's single-page mode. */
    onShareTimeline() {
      const shareId = this.share('timeline');
      return {
        title: this.data.item?.title ?? '推荐内容',
        query: toQuery({ itemId: this.itemId, shareId }),
        ...(this.data.item?.cover ? { imageUrl: this.data.item.cover } : {}),
      };
    },

    /** Tracks a share with a fresh share id (carried in what is shared) and where it went. */
    share(target) {
      const shareId = newId();
      getTracker().track('share', { shareId, target, itemId: this.itemId, ...this.ref });
      return shareId;
    },

    /** The item, and the comments unless some are shown (first load, or a retry after a failure). */
    async load() {
      await Promise.all([
        this.loadItem(),
        this.data.commentsState === 'error' || this.data.comments.length === 0
          ? this.loadComments()
          : Promise.resolve(),
      ]);
    },

    /**
     * The item as the server has it now, and whether the person likes it. With the item already
     * shown from the card store a failure changes nothing; on a cold open it is the page's state.
     */
    async loadItem() {
      const shown = this.data.status === 'ready';
      try {
        const res = await callAction('content', { action: 'item.get', itemId: this.itemId });
        this.setData({
          status: 'ready',
          ...itemAnswerData(res),
          ...(this.likeTouched ? {} : { liked: res.liked }),
        });
        this.contentShown();
      } catch (err) {
        if (!shown) this.showFailure(err, { NOT_FOUND: 'missing' });
      }
    },

    /**
     * The item's content (the server's answer, or the prefetched one) is on screen: its time since
     * onLoad goes to the tracker once per open as `timeToContent`, the prefetch A/B's outcome.
     */
    contentShown() {
      if (this.loadStartedAt === null) return;
      const durationMs = Math.max(0, Date.now() - this.loadStartedAt);
      this.loadStartedAt = null;
      getTracker().track('page_perf', {
        metric: 'timeToContent',
        durationMs,
        page: ROUTE,
        ...perfContext(),
      });
    },

    /** The next page of comments (the first when no cursor is held). */
    async loadComments() {
      if (this.data.commentsState === 'loading') return;
      this.setData({ commentsState: 'loading', commentsError: '' });
      try {
        const cursor = this.commentCursor;
        const res = await callAction('content', {
          action: 'comment.list',
          itemId: this.itemId,
          limit: COMMENT_PAGE,
          ...(cursor ? { cursor } : {}),
        });
        this.commentCursor = res.cursor;
        this.setData({
          comments: mergeRows(this.data.comments, res.comments),
          commentsState: res.cursor ? 'idle' : 'done',
        });
      } catch (err) {
        this.setData({ commentsState: 'error', commentsError: toApiError(err).message });
      }
    },

    async onMoreComments() {
      if (
        this.data.status !== 'ready' ||
        this.data.commentsState === 'done' ||
        this.data.commentsState === 'loading'
      )
        return;
      await this.loadComments();
    },

    async onLikeTap() {
      const liked = !this.data.liked;
      const at = Date.now();
      this.likeTouched = true;
      // Shown at once; the server's stored state follows (a refusal puts it back).
      const { likeCount, commentCount } = this.data;
      const shift = (to: boolean) =>
        likeCount === null ? null : Math.max(0, likeCount + (to === !liked ? 0 : liked ? 1 : -1));
      this.setData({ liked });
      this.setCounts(shift(liked), commentCount);
      getTracker().track(liked ? 'like' : 'unlike', { itemId: this.itemId, ...this.ref });
      try {
        const res = await callAction('content', {
          action: 'like.set',
          itemId: this.itemId,
          liked,
          at,
        });
        this.setData({ liked: res.liked });
        this.setCounts(shift(res.liked), this.data.commentCount);
      } catch (err) {
        this.setData({ liked: !liked });
        this.setCounts(likeCount, this.data.commentCount);
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },

    async onAuthorTap() {
      const author = this.data.author;
      if (!author || this.data.authorBusy) return;
      this.setData({ authorBusy: true });
      try {
        if (author.following) {
          await callAction('content', { action: 'author.unfollow', authorId: author.id });
          this.setData({ author: { ...author, following: false } });
        } else {
          const res = await callAction('content', {
            action: 'author.follow',
            itemId: this.itemId,
          });
          this.setData({ author: res.author });
          wx.showToast({ title: '已关注作者', icon: 'success' });
        }
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      } finally {
        this.setData({ authorBusy: false });
      }
    },

    async onTripTap() {
      if (this.data.tripBusy || !this.data.item?.place) return;
      const remove = this.data.inTrip;
      this.setData({ tripBusy: true });
      try {
        const res = await callAction('content', {
          action: remove ? 'trip.remove' : 'trip.add',
          itemId: this.itemId,
        });
        const inTrip = res.trip.entries.some((e) => e.item.id === this.itemId);
        this.setData({ inTrip });
        wx.showToast({
          title: inTrip ? `已加入行程（共 ${res.trip.entries.length} 项）` : '已移出行程',
          icon: 'none',
        });
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      } finally {
        this.setData({ tripBusy: false });
      }
    },

    onCommentInput(e) {
      this.setData({ commentText: e.detail, commentError: '' });
    },

    /**
     * Checked here first (the same rules as the server's length and emptiness), then posted; a
     * refusal (COMMENT_REJECTED, no consent, too frequent) keeps the text with the server's reason
     * under the field. A posted comment goes on top of the list and clears the field.
     */
    async onCommentSubmit() {
      if (this.data.posting) return;
      const checked = checkComment(this.data.commentText);
      if (!checked.ok) {
        this.setData({ commentError: checked.message });
        return;
      }
      this.setData({ posting: true, commentError: '' });
      const replyTo = this.data.replyTo;
      try {
        const res = await callAction('content', {
          action: 'comment.post',
          itemId: this.itemId,
          text: checked.text,
          ...this.ref,
          ...(replyTo ? { replyTo: replyTo.id } : {}),
        });
        this.setData({
          posting: false,
          commentText: '',
          replyTo: null,
          comments: withPosted(this.data.comments, res.comment),
          notifyOffer: true,
          notifyText: '',
        });
        const { likeCount, commentCount } = this.data;
        if (res.comment.inReview) {
          // Held for WeChat's review: the author sees it marked 审核中; nobody else yet.
          wx.showToast({ title: '已提交，审核通过后他人可见', icon: 'none' });
        } else {
          if (commentCount !== null) this.setCounts(likeCount, commentCount + 1);
          wx.showToast({ title: replyTo ? '回复已发表' : '评论已发表', icon: 'success' });
        }
      } catch (err) {
        this.setData({ posting: false, commentError: toApiError(err).message });
      }
    },

    /** 回复时通知我: a tap, as wx.requestSubscribeMessage requires; one 允许 = one notice. */
    async onAskReplyNotice() {
      const asked = await askSubscribe(['reply'], '有人在这里评论');
      this.setData({ notifyOffer: asked.outcome !== 'accepted', notifyText: asked.message });
    },

    async onDeleteComment(e) {
      const id = String((e.currentTarget.dataset as { id?: string }).id ?? '');
      if (!id || !(await confirmDelete())) return;
      try {
        await callAction('content', { action: 'comment.delete', commentId: id });
        const shown = this.data.comments;
        const gone =
          shown.find((c) => c.id === id) ??
          shown.flatMap((c) => c.replies).find((r) => r.id === id);
        this.setData({
          comments: withoutComment(shown, id),
          ...(this.data.replyTo?.id === id ? { replyTo: null } : {}),
        });
        const { likeCount, commentCount } = this.data;
        // A deleted thread takes its replies out of sight with it.
        const fewer =
          gone && !gone.inReview ? 1 + gone.replies.filter((r) => !r.inReview).length : 0;
        if (commentCount !== null) this.setCounts(likeCount, Math.max(0, commentCount - fewer));
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },

    onReplyTap(e) {
      const { id, author } = e.currentTarget.dataset as { id?: string; author?: string };
      if (!id) return;
      this.setData({ replyTo: { id, author: author ?? '' }, commentError: '' });
    },

    onCancelReply() {
      this.setData({ replyTo: null, commentError: '' });
    },

    async onReportTap(e) {
      const id = String((e.currentTarget.dataset as { id?: string }).id ?? '');
      if (!id) return;
      let tapIndex: number;
      try {
        ({ tapIndex } = await wx.showActionSheet({
          itemList: REPORT_CHOICES.map((c) => c.label),
        }));
      } catch {
        return; // 取消
      }
      const choice = REPORT_CHOICES[tapIndex];
      if (!choice) return;
      try {
        await callAction('content', {
          action: 'comment.report',
          commentId: id,
          reason: choice.reason,
        });
        wx.showToast({ title: '已举报，我们会尽快处理', icon: 'none' });
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },

    setCounts(likes, comments) {
      this.setData({
        likeCount: likes,
        commentCount: comments,
        countsText: countsText(likes, comments),
      });
    },
  },
});
