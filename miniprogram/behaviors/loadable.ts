/**
 * The loading / error / retry state a page shares with every other page that loads what it shows
 * (a small mixin in the manner of @vant/weapp's `mixins/basic`). It owns two data fields:
 * `status` ('loading' until the page's load settles, 'error' after a failure, and whatever other
 * states the page defines, such as 'ready' or 'missing') and `errorMessage` (the ApiError's
 * message, fit to show). The page renders them with `components/load-state` and defines `load()`.
 * It brings the `measured` behavior along, so every such page's setData is measured.
 */
import { toApiError } from '../services/api-error';
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
export type LoadableMethods = {
  /** 重新加载 (components/load-state's `retry`): back to 'loading', then the page's own load(). */
  onRetry(): Promise<void>;
  /** Shows a failed load: status 'error' (or the one `statuses` names for its code) and its message. */
  showFailure(err: unknown, statuses?: FailureStatuses): ApiError;
};

/** What a page using the behavior must define: its one way to (re)load what it shows. */
interface Loader {
  load(): Promise<void>;
}

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
    async onRetry() {
      this.setData({ status: 'loading', errorMessage: '' });
      await (this as unknown as Loader).load();
    },

    showFailure(err, statuses = {}) {
      const e = toApiError(err);
      this.setData({ status: statuses[e.code] ?? 'error', errorMessage: e.message });
      return e;
    },
  },
});
