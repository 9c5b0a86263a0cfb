/**
 * 搜索: a query box (van-search), this device's search history (tap to search again, 清空 after a
 * confirmation), 热门搜索 from the server (`content` search.hot: what many people searched lately;
 * tap to search; nothing shown when the list is empty or cannot be read), and the results from `content` search — content cards that open the detail page —
 * with empty and error (retry) states. Each search is tracked as a `search` event with its query.
 */
import type { ItemView } from '../../../typings';
import { getTracker } from '../../services/analytics';
import { callAction, getApi } from '../../services/api';
import { toApiError } from '../../services/api-error';
import { confirmModal } from '../../services/confirm';
import { toQuery } from '../../services/slate-ref';
import { measured } from '../../behaviors/measured';
import { HISTORY_KEY, hotChips, MAX_QUERY, readHistory, remember } from './view';

const ROUTE = 'pages/search/index';

interface SearchData {
  query: string;
  maxQuery: number;
  history: string[];
  /** 热门搜索 (empty: the section is not shown). */
  hot: string[];
  /** idle (nothing asked yet: the history shows), loading, done, error. */
  state: 'idle' | 'loading' | 'done' | 'error';
  errorMessage: string;
  results: ItemView[];
  /** The query the results are for. */
  searched: string;
}

type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { query?: string; id?: string }>;

type SearchMethods = {
  onLoad(): void;
  /** van-search's change: its detail is the text. */
  onInput(e: { detail: string }): void;
  /** van-search's search (the keyboard's 搜索) or the 搜索 action. */
  onSubmit(): Promise<void>;
  onHistoryTap(e: Tap): Promise<void>;
  onHotTap(e: Tap): Promise<void>;
  loadHot(): Promise<void>;
  onClearHistory(): Promise<void>;
  onRetry(): Promise<void>;
  onOpen(e: Tap): void;
  run(query: string): Promise<void>;
};

Component<
  SearchData,
  Record<string, never>,
  SearchMethods,
  [typeof measured],
  Record<string, never>,
  true
>({
  // Every page's setData is metered (the experience score's budgets).
  behaviors: [measured],

  data: {
    query: '',
    maxQuery: MAX_QUERY,
    history: [],
    hot: [],
    state: 'idle',
    errorMessage: '',
    results: [],
    searched: '',
  },

  methods: {
    onLoad() {
      let raw: unknown = [];
      try {
        raw = wx.getStorageSync(HISTORY_KEY);
      } catch {
        raw = [];
      }
      this.setData({ history: readHistory(raw) });
      void this.loadHot();
    },

    async loadHot() {
      try {
        const res = await getApi().call('content', { action: 'search.hot' });
        if (res.action === 'search.hot') this.setData({ hot: hotChips(res.queries) });
      } catch {
        // 热门搜索 is a suggestion: without it the page shows the box and the history, no error.
      }
    },

    onInput(e) {
      const query = e.detail;
      this.setData(query.trim() ? { query } : { query, state: 'idle', results: [], searched: '' });
    },

    async onSubmit() {
      await this.run(this.data.query);
    },

    async onHistoryTap(e) {
      const query = e.currentTarget.dataset.query ?? '';
      this.setData({ query });
      await this.run(query);
    },

    async onHotTap(e) {
      await this.onHistoryTap(e);
    },

    async onClearHistory() {
      const ok = await confirmModal({
        title: '清空搜索历史',
        content: '只清除这台设备上的记录',
        confirmText: '清空',
        confirmColor: '#ee0a24',
      });
      if (!ok) return;
      wx.removeStorageSync(HISTORY_KEY);
      this.setData({ history: [] });
    },

    async onRetry() {
      await this.run(this.data.searched || this.data.query);
    },

    onOpen(e) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: `/pages/detail/index?${toQuery({ itemId: id })}` });
    },

    async run(raw) {
      const query = raw.trim().slice(0, MAX_QUERY);
      if (!query || this.data.state === 'loading') return;
      const history = remember(this.data.history, query);
      try {
        wx.setStorageSync(HISTORY_KEY, history);
      } catch {
        // A full storage keeps the old history; the search goes on.
      }
      this.setData({ history, state: 'loading', errorMessage: '', searched: query });
      getTracker().track('search', { query, page: ROUTE });
      try {
        const res = await callAction('content', { action: 'search', query });
        this.setData({ state: 'done', results: res.items });
      } catch (err) {
        this.setData({ state: 'error', errorMessage: toApiError(err).message, results: [] });
      }
    },
  },
});
