/**
 * The loading / error / retry state a page shares with every other page that loads what it shows
 * (a small mixin in the manner of @vant/weapp's `mixins/basic`). It owns two data fields:
 * `status` ('loading' until the page's load settles, 'error' after a failure, and whatever other
 * states the page defines, such as 'ready' or 'missing') and `errorMessage` (the ApiError's
 * message, fit to show). The page renders them with `components/load-state` and defines `load()`.
 *
 * `loadable` is a page's: it brings the `measured` behavior along, so every such page's setData is
 * measured, and the page lifecycle every loading page repeated: onLoad loads (a page reading its
 * query defines its own), 下拉刷新 loads again, and `reloadOnReturn` (called from the page's onShow)
 * loads again when the page is shown after another page was on top. `foldable` is the same state
 * for a folded section of a page (a component the page holds; the page measures setData): it
 * starts folded and 'idle', and its toggle loads on the first unfolding, or again after a failure.
 */
import { toApiError } from '../services/api-error';
import { withTaps } from '../services/features';
import { measured } from './measured';
import { passOn } from './tappable';
import type { ApiError, ClientErrorCode } from '../services/api-error';

/** A status other than 'error' for some codes, e.g. `{ NOT_FOUND: 'missing' }` or `{ NETWORK: 'offline' }`. */
export type FailureStatuses = Partial<Record<ClientErrorCode, string>>;

export interface LoadableData {
  status: string;
  errorMessage: string;
}

/** A type alias (not an interface) so it meets the typings' Record<string, Function> constraint. */
export type LoadStateMethods = {
  /** 重新加载 (components/load-state's `retry`): back to 'loading', then the page's own load(). */
  onRetry(): Promise<void>;
  /** Shows a failed load: status 'error' (or the one `statuses` names for its code) and its message. */
  showFailure(err: unknown, statuses?: FailureStatuses): ApiError;
  /** Loads unless something is shown or on its way: nothing loaded yet ('idle'), or the last load failed. */
  loadOnce(): Promise<void>;
};

/** A folded section's: `expanded` beside the state. */
export interface FoldableData extends LoadableData {
  expanded: boolean;
}

export type FoldableMethods = LoadStateMethods & {
  /** Unfolds (loading once: see loadOnce) or folds; bound to the section's title cell. */
  onToggle(): Promise<void>;
};

export type LoadableMethods = LoadStateMethods & {
  /** The page's first load (a page that reads its query defines its own onLoad). */
  onLoad(): Promise<void>;
  /** 下拉刷新 (pages whose json enables it): the same load, then the spinner stops. */
  onPullDownRefresh(): Promise<void>;
  /**
   * For the page's onShow: loads again when the page comes back into view (from the editor, a
   * result, another owner's change), not on the show that follows onLoad.
   */
  reloadOnReturn(): Promise<void>;
};

/** What a page or section using the behaviors must define: its one way to (re)load what it shows. */
interface Loader {
  data: LoadableData & Partial<FoldableData>;
  setData(data: Partial<FoldableData>): void;
  load(): Promise<void>;
  /** Set by the first reloadOnReturn (the show that follows onLoad). */
  loadableShown?: boolean;
}

/** The state's methods, shared by both behaviors. */
const stateMethods: LoadStateMethods = {
  async onRetry(this: Loader) {
    this.setData({ status: 'loading', errorMessage: '' });
    await this.load();
  },

  showFailure(this: Loader, err: unknown, statuses: FailureStatuses = {}) {
    const e = toApiError(err);
    this.setData({ status: statuses[e.code] ?? 'error', errorMessage: e.message });
    return e;
  },

  async loadOnce(this: Loader & LoadStateMethods) {
    if (this.data.status === 'idle' || this.data.status === 'error') await this.onRetry();
  },
};

export const foldable = Behavior<FoldableData, Record<string, never>, FoldableMethods, []>({
  // A section loads on its first unfolding, not when the page opens.
  data: { expanded: false, status: 'idle', errorMessage: '' },
  // The toggle is bound to a named element: its taps are counted like the section's own handlers'
  // (tappable wraps only the methods a component defines itself, not a behavior's).
  methods: withTaps({
    ...stateMethods,

    async onToggle(this: Loader & LoadStateMethods) {
      const expanded = !this.data.expanded;
      this.setData({ expanded });
      if (expanded) await this.loadOnce();
    },
  }) as FoldableMethods,
});

export const loadable = Behavior<
  LoadableData,
  Record<string, never>,
  LoadableMethods,
  [typeof measured]
>({
  // Every loading page also measures its setData (the experience score's budgets).
  behaviors: [measured],
  // WeChat calls only a page's direct behaviors' filters: measured's (the named taps) goes through here.
  definitionFilter: passOn,
  data: { status: 'loading', errorMessage: '' },

  methods: {
    ...stateMethods,

    async onLoad(this: Loader) {
      await this.load();
    },

    async onPullDownRefresh(this: Loader) {
      await this.load();
      wx.stopPullDownRefresh();
    },

    async reloadOnReturn(this: Loader) {
      if (this.loadableShown) await this.load();
      this.loadableShown = true;
    },
  },
});
