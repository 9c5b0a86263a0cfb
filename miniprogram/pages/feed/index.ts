/**
 * The feed page: asks `recommend` for a slate and renders its cards, with pull-to-refresh and
 * cursor-based load-more; every card's viewable impression and tap goes to the tracker with its
 * slate id and position. Written with Component() so it runs unchanged in miniprogram-simulate.
 */
import type { RecommendRequest } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { getApi } from '../../services/api';
import { toApiError } from '../../services/api-error';
import { rememberCards } from '../../services/card-store';
import { toQuery } from '../../services/slate-ref';
import { newViews } from './card-view';
import type { CardView } from './card-view';
import { observeExposure } from '../../services/exposure';
import type { ExposureHandle } from '../../services/exposure';

const PAGE_SIZE = 10;

type FeedStatus = 'loading' | 'ready' | 'empty' | 'error';

interface FeedData {
  status: FeedStatus;
  cards: CardView[];
  /** The server's cursor for the next page; null once the feed is exhausted. */
  cursor: string | null;
  slateId: string;
  errorMessage: string;
  loadingMore: boolean;
  moreError: string;
}

/** A type alias (not an interface) so it meets the typings' Record<string, Function> constraint. */
type FeedMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  onPullDownRefresh(): Promise<void>;
  onReachBottom(): Promise<void>;
  onRetry(): Promise<void>;
  onLoadMore(): Promise<void>;
  onCardTap(e: WechatMiniprogram.BaseEvent): void;
  watchExposure(): void;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
};

interface FeedInstance {
  channel: string | undefined;
  /** Bumped by every refresh; a response from an older generation is dropped. */
  generation: number;
  exposure: ExposureHandle | undefined;
}

Component<FeedData, Record<string, never>, FeedMethods, [], FeedInstance, true>({
  data: {
    status: 'loading',
    cards: [],
    cursor: null,
    slateId: '',
    errorMessage: '',
    loadingMore: false,
    moreError: '',
  },

  lifetimes: {
    created() {
      this.channel = undefined;
      this.generation = 0;
      this.exposure = undefined;
    },
    detached() {
      this.exposure?.disconnect();
    },
  },

  pageLifetimes: {
    show() {
      this.exposure?.refresh();
    },
    hide() {
      this.exposure?.disconnect();
    },
  },

  methods: {
    async onLoad(query) {
      this.channel = query?.channel || undefined;
      await this.refresh();
    },

    async onPullDownRefresh() {
      await this.refresh();
      wx.stopPullDownRefresh();
    },

    async onReachBottom() {
      await this.loadMore();
    },

    async onRetry() {
      this.setData({ status: 'loading', errorMessage: '' });
      await this.refresh();
    },

    async onLoadMore() {
      await this.loadMore();
    },

    onCardTap(e) {
      const { slateId, position, itemId, adId } = e.currentTarget.dataset as { slateId: string; position: number; itemId?: string; adId?: string };
      // An ad card names its campaign (what `track` charges the click to), a content card its item.
      getTracker().track('click', adId ? { adId, slateId, position: Number(position) } : { itemId, slateId, position: Number(position) });
      // The next page renders the card from the card store and names the same slate and position.
      const url = adId ? `/pages/ad/index?${toQuery({ adId, slateId, position })}` : `/pages/detail/index?${toQuery({ itemId, slateId, position })}`;
      wx.navigateTo({ url });
    },

    /** (Re)observes the rendered cards; cards count as seen at ≥ 50 % for ≥ 1 s, once per slate position. */
    watchExposure() {
      if (this.exposure) this.exposure.refresh();
      else this.exposure = observeExposure(this, '.rs-feed__card', (t) => getTracker().track('impression', t));
    },

    /** First page. Keeps what is on screen if the refresh fails, so a pull-down never blanks the feed. */
    async refresh() {
      const generation = ++this.generation;
      const req: RecommendRequest = { limit: PAGE_SIZE };
      if (this.channel) req.channel = this.channel;
      try {
        const res = await getApi().call('recommend', req);
        if (generation !== this.generation) return;
        rememberCards(res.cards);
        const cards = newViews(res.cards, res.slateId, []);
        this.setData(
          {
            status: cards.length ? 'ready' : 'empty',
            cards,
            cursor: res.cursor,
            slateId: res.slateId,
            errorMessage: '',
            loadingMore: false,
            moreError: '',
          },
          () => this.watchExposure(),
        );
      } catch (err) {
        if (generation !== this.generation) return;
        const { message } = toApiError(err);
        if (this.data.status === 'ready') {
          this.setData({ loadingMore: false });
          wx.showToast({ title: message, icon: 'none' });
        } else this.setData({ status: 'error', errorMessage: message });
      }
    },

    /** Next page from the server's cursor; appends by path so setData carries only the new cards. */
    async loadMore() {
      const { status, cursor, loadingMore } = this.data;
      if (status !== 'ready' || !cursor || loadingMore) return;
      const generation = this.generation;
      this.setData({ loadingMore: true, moreError: '' });
      const req: RecommendRequest = { limit: PAGE_SIZE, cursor };
      if (this.channel) req.channel = this.channel;
      try {
        const res = await getApi().call('recommend', req);
        if (generation !== this.generation) return;
        rememberCards(res.cards);
        const shown = this.data.cards;
        const patch: Record<string, unknown> = { loadingMore: false, cursor: res.cursor };
        newViews(res.cards, res.slateId, shown).forEach((view, i) => {
          patch[`cards[${shown.length + i}]`] = view;
        });
        this.setData(patch, () => this.watchExposure());
      } catch (err) {
        if (generation !== this.generation) return;
        this.setData({ loadingMore: false, moreError: toApiError(err).message });
      }
    },
  },
});
