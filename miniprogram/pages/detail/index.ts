/**
 * Content detail: the tapped item, like / unlike, posting a comment, sharing with a share id,
 * and dwell time, each tracked with the slate and position the card was served at. The item
 * comes from the feed's in-memory card store (no item-by-id API yet); there is no comment list
 * API yet either, so the page posts comments and lists none.
 */
import type { ContentCard } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { recallItem } from '../../services/card-store';
import { createDwellTimer } from '../../services/dwell';
import type { DwellTimer } from '../../services/dwell';
import { newId } from '../../services/ids';
import { slateRefOf, toQuery } from '../../services/slate-ref';
import type { SlateRef } from '../../services/slate-ref';
import { MAX_COMMENT_CHARS, checkComment } from './comment';

const ROUTE = 'pages/detail/index';
const CST_MS = 8 * 3600_000;

/** "2026年11月28日" in China time; by hand because Intl date formats differ between device engines. */
function formatDate(ms: number): string {
  const d = new Date(ms + CST_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

interface DetailData {
  status: 'ready' | 'missing';
  item: ContentCard['item'] | null;
  publishedText: string;
  liked: boolean;
  commentText: string;
  commentError: string;
  maxComment: number;
}

type DetailMethods = {
  onLoad(query?: Record<string, string | undefined>): void;
  onShow(): void;
  onHide(): void;
  onUnload(): void;
  onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent;
  onLikeTap(): void;
  /** van-field's `change`: its detail is the text itself. */
  onCommentInput(e: { detail: string }): void;
  onCommentSubmit(): void;
};

interface DetailInstance {
  itemId: string;
  ref: SlateRef;
  dwell: DwellTimer | undefined;
}

Component<DetailData, Record<string, never>, DetailMethods, [], DetailInstance, true>({
  data: { status: 'missing', item: null, publishedText: '', liked: false, commentText: '', commentError: '', maxComment: MAX_COMMENT_CHARS },

  lifetimes: {
    created() {
      this.itemId = '';
      this.ref = {};
      this.dwell = undefined;
    },
    detached() {
      this.dwell?.stop();
    },
  },

  methods: {
    onLoad(query) {
      this.itemId = query?.itemId ?? '';
      this.ref = slateRefOf(query);
      const item = this.itemId ? recallItem(this.itemId) : undefined;
      this.setData({
        status: item ? 'ready' : 'missing',
        item: item ?? null,
        publishedText: item?.publishedAt ? formatDate(item.publishedAt) : '',
      });
      const tracker = getTracker();
      const itemId = this.itemId || undefined;
      if (query?.shareId) tracker.track('share_open', { shareId: query.shareId, itemId });
      this.dwell = createDwellTimer((dwellMs) => tracker.track('dwell', { dwellMs, itemId, ...this.ref, page: ROUTE }));
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

    /** WeChat does not tell whether a chat or a group was picked, so the share is recorded as `chat`. */
    onShareAppMessage() {
      const shareId = newId();
      getTracker().track('share', { shareId, target: 'chat', itemId: this.itemId, ...this.ref });
      return { title: this.data.item?.title ?? '推荐内容', path: `/${ROUTE}?${toQuery({ itemId: this.itemId, shareId })}` };
    },

    onLikeTap() {
      const liked = !this.data.liked;
      this.setData({ liked });
      getTracker().track(liked ? 'like' : 'unlike', { itemId: this.itemId, ...this.ref });
    },

    onCommentInput(e) {
      this.setData({ commentText: e.detail, commentError: '' });
    },

    /** Rejected text stays in the field with the reason under it; sent text clears the field. */
    onCommentSubmit() {
      const checked = checkComment(this.data.commentText);
      if (!checked.ok) {
        this.setData({ commentError: checked.message });
        return;
      }
      getTracker().track('comment', { text: checked.text, itemId: this.itemId, ...this.ref });
      this.setData({ commentText: '', commentError: '' });
      wx.showToast({ title: '评论已发送', icon: 'success' });
    },
  },
});
