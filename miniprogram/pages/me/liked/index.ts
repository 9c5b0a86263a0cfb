/**
 * 我赞过的: the caller's liked items from `content` likes.list, latest like first, a page at a
 * time ("load more"), each opening the detail page. Loads itself when attached, so the Me page
 * only places it; its own loading, empty and error (with retry) states.
 */
import { measuredPart } from '../../../behaviors/measured';
import type { LikedEntry } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { dateTime } from '../../../services/format';
import { toQuery } from '../../../services/slate-ref';

/** Liked items per page. */
export const LIKED_PAGE = 10;

export interface LikedRow {
  id: string;
  title: string;
  label: string;
}

const row = (e: LikedEntry): LikedRow => ({
  id: e.item.id,
  title: e.item.title,
  label: `${e.item.category} · 赞于 ${dateTime(e.likedAt)}`,
});

interface LikedData {
  rows: LikedRow[];
  /** loading: a page is on its way; idle: more may come; done: all shown; error: the last page failed. */
  state: 'loading' | 'idle' | 'done' | 'error';
  errorMessage: string;
}

type LikedMethods = {
  load(): Promise<void>;
  onMore(): Promise<void>;
  onOpen(e: WechatMiniprogram.BaseEvent): void;
};

interface LikedInstance {
  cursor: string | null;
}

Component<LikedData, Record<string, never>, LikedMethods, [typeof measuredPart], LikedInstance>({
  // Its named taps are counted (services/features.ts).
  behaviors: [measuredPart],
  data: { rows: [], state: 'loading', errorMessage: '' },

  lifetimes: {
    created() {
      this.cursor = null;
    },
    attached() {
      void this.load();
    },
  },

  methods: {
    /** The next page (the first while no cursor is held); a failure keeps what is shown. */
    async load() {
      this.setData({ state: 'loading', errorMessage: '' });
      try {
        const cursor = this.cursor;
        const res = await getApi().call('content', {
          action: 'likes.list',
          limit: LIKED_PAGE,
          ...(cursor ? { cursor } : {}),
        });
        if (res.action !== 'likes.list') throw new Error('unexpected answer');
        this.cursor = res.cursor;
        const seen = new Set(this.data.rows.map((r) => r.id));
        this.setData({
          rows: [...this.data.rows, ...res.items.filter((e) => !seen.has(e.item.id)).map(row)],
          state: res.cursor ? 'idle' : 'done',
        });
      } catch (err) {
        this.setData({ state: 'error', errorMessage: toApiError(err).message });
      }
    },

    async onMore() {
      if (this.data.state === 'idle' || this.data.state === 'error') await this.load();
    },

    onOpen(e) {
      const id = String((e.currentTarget.dataset as { id?: string }).id ?? '');
      if (id) wx.navigateTo({ url: `/pages/detail/index?${toQuery({ itemId: id })}` });
    },
  },
});
