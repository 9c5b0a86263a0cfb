/**
 * The feed page: channel tabs, then the slate `recommend` serves for the channel, with
 * pull-to-refresh and cursor-based load-more; every card's viewable impression, tap and hide
 * ("不感兴趣") goes to the tracker with its slate id and position. Skeletons stand in for the first
 * page; a failed first load shows the offline state for NETWORK, the error state otherwise.
 * Written with Component() so it runs unchanged in miniprogram-simulate.
 */
import type { AppSceneView, RecommendRequest } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { getApi } from '../../services/api';
import { toApiError } from '../../services/api-error';
import { loadable } from '../../behaviors/loadable';
import { rememberCards } from '../../services/card-store';
import { prefetchPlan } from '../../services/prefetch';
import { toQuery } from '../../services/slate-ref';
import { markTab } from '../../services/tab-bar';
import { newId } from '../../services/ids';
import { enableShareMenus, openedVia } from '../../services/share';
import type { ShareTarget } from '../../services/share';
import { takeFeedStale } from '../../services/feed-refresh';
import { maybeOnboard } from '../../services/onboarding';
import { rememberScene } from '../../services/app-scene';
import {
  dropFromFeedCache,
  loadFeedPage,
  offlineNotice,
  saveFeedPage,
} from '../../services/feed-cache';
import { newViews } from './card-view';
import {
  CHANNELS,
  HIDE_REASONS,
  TRAVEL_CHANNEL,
  channelIndex,
  sceneChannels,
  sceneEntries,
} from './channels';
import type { PlaceChoice } from '../../components/place-bar/index';
import type { Channel, EntryView } from './channels';
import type { CardView } from './card-view';
import { observeExposure } from '../../services/exposure';
import type { ExposureHandle } from '../../services/exposure';

const PAGE_SIZE = 10;
const SHARE_TITLE = '发现好内容，推荐给你';

/** Placeholder rows while the first page loads. */
const SKELETONS = [0, 1, 2, 3];

/**
 * With `loadable`'s status: loading, ready, empty, offline (the first load never reached the
 * server: ApiError NETWORK) or error (anything else), and its errorMessage.
 */
interface FeedData {
  channels: Channel[];
  /** Index of the active channel tab. */
  activeTab: number;
  /** The 旅行 channel is active, or the scene shows the place bar everywhere: the place bar shows. */
  travel: boolean;
  /** The scene's entry points above the feed (智能客服, 风险测评, 我的行程). */
  entries: EntryView[];
  skeletons: number[];
  cards: CardView[];
  /** The server's cursor for the next page; null once the feed is exhausted. */
  cursor: string | null;
  slateId: string;
  loadingMore: boolean;
  moreError: string;
  /** Set while the cards are the channel's offline copy (services/feed-cache.ts): why, and how old. */
  offlineCopy: string;
}

/** A type alias (not an interface) so it meets the typings' Record<string, Function> constraint. */
type FeedMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  onPullDownRefresh(): Promise<void>;
  onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent;
  onShareTimeline(): WechatMiniprogram.Page.ICustomTimelineContent;
  /** The search entry above the channels: opens 搜索. */
  onSearchTap(): void;
  share(target: ShareTarget): string;
  onReachBottom(): Promise<void>;
  onLoadMore(): Promise<void>;
  onCardTap(e: WechatMiniprogram.BaseEvent): void;
  onTabChange(e: WechatMiniprogram.CustomEvent<{ index: number }>): Promise<void>;
  onPlace(e: WechatMiniprogram.CustomEvent<PlaceChoice>): Promise<void>;
  onEntry(e: WechatMiniprogram.BaseEvent): void;
  applyScene(view: AppSceneView): void;
  placeBarOn(): boolean;
  restart(patch: Record<string, unknown>): Promise<void>;
  withPlace(req: RecommendRequest): RecommendRequest;
  onCardMenu(e: WechatMiniprogram.CustomEvent<{ key: string }>): Promise<void>;
  hideCard(key: string, reason: string): void;
  watchExposure(): void;
  load(): Promise<void>;
  showOfflineCopy(err: unknown): boolean;
  loadMore(): Promise<void>;
};

interface FeedInstance {
  channel: string | undefined;
  /** Bumped by every refresh; a response from an older generation is dropped. */
  generation: number;
  exposure: ExposureHandle | undefined;
  /** Keys of cards hidden in this channel: they stay out of later pages. */
  hidden: Set<string>;
  /** The place bar's choice (旅行 channel only): sent with every request, kept nowhere else. */
  place: PlaceChoice;
  /** wx.onNetworkStatusChange's listener: back online, an offline feed loads itself again. */
  onNetwork: (res: { isConnected: boolean }) => void;
  /** The scene shows the place bar on every channel (旅游出行). */
  scenePlaceBar: boolean;
}

/** A card's menu choice, or undefined if the person dismissed the sheet. */
async function pick(itemList: string[]): Promise<string | undefined> {
  try {
    const { tapIndex } = await wx.showActionSheet({ itemList });
    return itemList[tapIndex];
  } catch {
    return undefined; // cancel rejects: nothing to do
  }
}

Component<FeedData, Record<string, never>, FeedMethods, [typeof loadable], FeedInstance, true>({
  behaviors: [loadable],

  data: {
    channels: CHANNELS,
    activeTab: 0,
    travel: false,
    entries: [],
    skeletons: SKELETONS,
    cards: [],
    cursor: null,
    slateId: '',
    loadingMore: false,
    moreError: '',
    offlineCopy: '',
  },

  lifetimes: {
    created() {
      this.channel = undefined;
      this.generation = 0;
      this.exposure = undefined;
      this.hidden = new Set();
      this.place = {};
      this.scenePlaceBar = false;
      this.onNetwork = (res) => {
        if (res.isConnected && (this.data.status === 'offline' || this.data.offlineCopy))
          void this.load();
      };
    },
    attached() {
      wx.onNetworkStatusChange?.(this.onNetwork);
    },
    detached() {
      this.exposure?.disconnect();
      wx.offNetworkStatusChange?.(
        this.onNetwork as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback,
      );
    },
  },

  pageLifetimes: {
    show() {
      markTab(this, '/pages/feed/index');
      this.exposure?.refresh();
      // Personalisation was switched on 我的: these cards were ranked the other way; start over.
      if (takeFeedStale()) {
        this.hidden = new Set();
        this.setData({
          status: 'loading',
          cards: [],
          cursor: null,
          errorMessage: '',
          moreError: '',
        });
        void this.load();
      }
    },
    hide() {
      this.exposure?.disconnect();
    },
  },

  methods: {
    async onLoad(query) {
      this.channel = query?.channel || undefined;
      // Opened from a shared feed: the event waits for the consent a cold start is still settling.
      if (query?.shareId)
        getTracker().trackWhenDecided('share_open', {
          shareId: query.shareId,
          target: openedVia(),
        });
      enableShareMenus();
      // First launch with the consent recorded: 选择你感兴趣的内容 once (never over a shared link).
      if (!query?.shareId) maybeOnboard(wx);
      this.setData({
        activeTab: channelIndex(this.channel, this.data.channels),
        travel: this.placeBarOn(),
      });
      await this.load();
    },

    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },

    /** The feed (its channel) to a chat or a group: WeChat does not tell which, so `chat`. */
    onShareAppMessage() {
      const shareId = this.share('chat');
      return {
        title: SHARE_TITLE,
        path: `/pages/feed/index?${toQuery({ channel: this.channel, shareId })}`,
      };
    },

    onSearchTap() {
      wx.navigateTo({ url: '/pages/search/index' });
    },

    onShareTimeline() {
      const shareId = this.share('timeline');
      return { title: SHARE_TITLE, query: toQuery({ channel: this.channel, shareId }) };
    },

    share(target) {
      const shareId = newId();
      getTracker().track('share', { shareId, target });
      return shareId;
    },

    async onReachBottom() {
      await this.loadMore();
    },

    async onLoadMore() {
      await this.loadMore();
    },

    onCardTap(e) {
      const { slateId, position, itemId, adId } = e.currentTarget.dataset as {
        slateId: string;
        position: number;
        itemId?: string;
        adId?: string;
      };
      // An ad card names its campaign (what `track` charges the click to), a content card its item.
      getTracker().track(
        'click',
        adId
          ? { adId, slateId, position: Number(position) }
          : { itemId, slateId, position: Number(position) },
      );
      // The next page renders the card from the card store and names the same slate and position.
      const url = adId
        ? `/pages/ad/index?${toQuery({ adId, slateId, position })}`
        : `/pages/detail/index?${toQuery({ itemId, slateId, position })}`;
      wx.navigateTo({ url });
    },

    /** A new channel starts from skeletons: the old channel's cards must not pass for the new one's. */
    async onTabChange(e) {
      const channel = this.data.channels[e.detail.index];
      if (!channel || (channel.name || undefined) === this.channel) return;
      this.channel = channel.name || undefined;
      // Leaving 旅行 drops its place bar, and with it the place (unless the scene keeps the bar).
      if (!this.scenePlaceBar) this.place = {};
      await this.restart({ activeTab: e.detail.index, travel: this.placeBarOn() });
    },

    placeBarOn() {
      return this.scenePlaceBar || this.channel === TRAVEL_CHANNEL;
    },

    /** The scene (SCENE on the server) as a session's first page names it: its tabs and entry points. */
    applyScene(view) {
      // Other pages offer the scene's categories too (onboarding).
      rememberScene(wx, view);
      const channels = sceneChannels(view);
      this.scenePlaceBar = view.placeBar;
      const travel = this.placeBarOn();
      if (!travel) this.place = {};
      this.setData({
        channels,
        activeTab: channelIndex(this.channel, channels),
        entries: sceneEntries(view),
        travel,
      });
    },

    /** An entry point: 智能客服 is pushed, 风险测评 and 我的行程 live on the 我的 tab. */
    onEntry(e) {
      const { url, tab } = e.currentTarget.dataset as { url: string; tab: boolean };
      if (tab) wx.switchTab({ url });
      else wx.navigateTo({ url });
    },

    /** A new place (or none) ranks a new session: the old cards were ranked for the old place. */
    async onPlace(e) {
      this.place = e.detail;
      await this.restart({});
    },

    async restart(patch) {
      this.hidden = new Set();
      this.setData({
        ...patch,
        status: 'loading',
        cards: [],
        cursor: null,
        errorMessage: '',
        moreError: '',
      });
      await this.load();
    },

    withPlace(req) {
      if (this.channel) req.channel = this.channel;
      if (!this.placeBarOn()) return req;
      if (this.place.location) req.location = this.place.location;
      if (this.place.destination) req.destination = this.place.destination;
      return req;
    },

    /** The "…" menu: 不感兴趣 (then a reason) for every card, and 为什么看到这条广告 for ads. */
    async onCardMenu(e) {
      const { key } = e.detail;
      const card = this.data.cards.find((c) => c.key === key);
      if (!card) return;
      const choice = await pick(card.sponsored ? ['不感兴趣', '为什么看到这条广告'] : ['不感兴趣']);
      if (choice === '为什么看到这条广告') {
        wx.showModal({
          title: '为什么看到这条广告',
          content: card.reason,
          showCancel: false,
          confirmText: '知道了',
        });
        return;
      }
      if (choice !== '不感兴趣') return;
      const reason = await pick(HIDE_REASONS);
      if (reason) this.hideCard(key, reason);
    },

    /** Tracks the hide with the card's slate and position, then drops the card from the list. */
    hideCard(key, reason) {
      const card = this.data.cards.find((c) => c.key === key);
      if (!card) return;
      const { slateId, position } = card;
      getTracker().track(
        'hide',
        card.adId
          ? { adId: card.adId, slateId, position, reason }
          : { itemId: card.itemId, slateId, position, reason },
      );
      this.hidden.add(key);
      // A hidden item never comes back, not even in the offline copy.
      if (card.itemId) dropFromFeedCache(wx, this.channel, card.itemId);
      const cards = this.data.cards.filter((c) => c.key !== key);
      this.setData({ cards, status: cards.length || this.data.cursor ? 'ready' : 'empty' }, () =>
        this.watchExposure(),
      );
      wx.showToast({ title: '将减少此类内容', icon: 'none' });
    },

    /** (Re)observes the rendered cards; cards count as seen at ≥ 50 % for ≥ 1 s, once per slate position. */
    watchExposure() {
      if (this.exposure) this.exposure.refresh();
      else
        this.exposure = observeExposure(this, '.rs-feed__card', (t) =>
          getTracker().track('impression', t),
        );
    },

    /** First page. Keeps what is on screen if the refresh fails, so a pull-down never blanks the feed. */
    async load() {
      const generation = ++this.generation;
      const req = this.withPlace({ limit: PAGE_SIZE });
      try {
        const res = await getApi().call('recommend', req);
        if (generation !== this.generation) return;
        if (res.appScene) this.applyScene(res.appScene);
        rememberCards(res.cards);
        void prefetchPlan(res.prefetch);
        // Ranked for a shared location: not kept (the location is stored nowhere, not even here).
        if (!req.location) saveFeedPage(wx, this.channel, res.slateId, res.cards, Date.now());
        const cards = newViews(res.cards, res.slateId, [], this.hidden);
        this.setData(
          {
            status: cards.length ? 'ready' : 'empty',
            cards,
            cursor: res.cursor,
            slateId: res.slateId,
            errorMessage: '',
            loadingMore: false,
            moreError: '',
            offlineCopy: '',
          },
          () => this.watchExposure(),
        );
      } catch (err) {
        if (generation !== this.generation) return;
        if (this.data.status === 'ready') {
          this.setData({ loadingMore: false });
          wx.showToast({ title: toApiError(err).message, icon: 'none' });
        } else if (!this.showOfflineCopy(err)) this.showFailure(err, { NETWORK: 'offline' });
      }
    },

    /**
     * Offline with nothing on screen: the channel's last first page from the device, marked as
     * such, with no load-more (its cursor is not kept). False when there is no usable copy.
     */
    showOfflineCopy(err) {
      if (toApiError(err).code !== 'NETWORK') return false;
      const now = Date.now();
      const copy = loadFeedPage(wx, this.channel, now);
      if (!copy) return false;
      rememberCards(copy.cards);
      const cards = newViews(copy.cards, copy.slateId, [], this.hidden);
      if (!cards.length) return false;
      this.setData(
        {
          status: 'ready',
          cards,
          cursor: null,
          slateId: copy.slateId,
          errorMessage: '',
          loadingMore: false,
          moreError: '',
          offlineCopy: offlineNotice(copy.savedAt, now),
        },
        () => this.watchExposure(),
      );
      return true;
    },

    /** Next page from the server's cursor; appends by path so setData carries only the new cards. */
    async loadMore() {
      const { status, cursor, loadingMore } = this.data;
      if (status !== 'ready' || !cursor || loadingMore) return;
      const generation = this.generation;
      this.setData({ loadingMore: true, moreError: '' });
      const req = this.withPlace({ limit: PAGE_SIZE, cursor });
      try {
        const res = await getApi().call('recommend', req);
        if (generation !== this.generation) return;
        rememberCards(res.cards);
        void prefetchPlan(res.prefetch);
        const shown = this.data.cards;
        const patch: Record<string, unknown> = { loadingMore: false, cursor: res.cursor };
        newViews(res.cards, res.slateId, shown, this.hidden).forEach((view, i) => {
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
