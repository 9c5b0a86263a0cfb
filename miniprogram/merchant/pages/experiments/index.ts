/**
 * Experiments the caller can see (`experiment.list`): name, status tag (草稿 / 运行中 / 已停止),
 * what it varies; owners and platform admins start a draft and stop a running one behind a
 * confirmation, and create new ones. A merchant may only experiment on parameters scoped to its
 * own ads (the server's `merchantParameters`, today ad.creative: creative A/B tests of one of its
 * campaigns): with one, owners get 新建实验 and start their drafts on it; without any, a notice
 * instead of the create button, and their drafts no start. A row opens its results. Written with Component().
 */
import type { Experiment, MerchantResponse } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { confirmChange, doneText, showRefusal } from '../../experiment-actions';
import type { ExperimentChange } from '../../experiment-actions';
import { experimentRow } from '../../experiment-labels';
import type { ExperimentRow } from '../../experiment-labels';

/** With `loadable`'s status (loading, ready, error) and errorMessage. */
interface ListData {
  canManage: boolean;
  /** Whether the caller may create one: admins always, owners when some parameter is theirs to vary. */
  canCreate: boolean;
  /** Ids of the drafts the caller may start. */
  startable: Record<string, boolean>;
  experiments: ExperimentRow[];
  /** Id of the experiment whose start/stop is in flight. */
  busyId: string;
}

type RowTap = WechatMiniprogram.BaseEvent<Record<string, never>, { id?: string }>;

type ListMethods = {
  onShow(): Promise<void>;
  load(): Promise<void>;
  onOpen(e: RowTap): void;
  onCreate(): void;
  /** Catches taps on the action area so a start/stop tap does not also open the row. */
  noop(): void;
  onStart(e: RowTap): Promise<void>;
  onStop(e: RowTap): Promise<void>;
  change(id: string, action: ExperimentChange): Promise<void>;
};

export const EXPERIMENT_PAGE = '/merchant/pages/experiment/index';
export const CREATE_PAGE = '/merchant/pages/experiment-new/index';

/** Newest activity first: running, then drafts, then stopped; each by creation time. */
function ordered(list: Experiment[]): Experiment[] {
  const rank = { running: 0, draft: 1, stopped: 2 } as const;
  return [...list].sort((a, b) => rank[a.status] - rank[b.status] || b.createdAt - a.createdAt);
}

Component<
  ListData,
  Record<string, never>,
  ListMethods,
  [typeof loadable],
  Record<string, never>,
  true
>({
  behaviors: [loadable],

  data: {
    canManage: false,
    canCreate: false,
    startable: {},
    experiments: [],
    busyId: '',
  },

  methods: {
    /** Back from a result or the create form: the list may have changed. */
    async onShow() {
      await this.reloadOnReturn();
    },

    async load() {
      try {
        const api = getApi();
        const [me, list] = await Promise.all([
          api.call('merchant', { action: 'me' }),
          api.call('merchant', { action: 'experiment.list' }),
        ]);
        if (me.action !== 'me' || list.action !== 'experiment.list')
          throw new Error('unexpected answer');
        const canManage = me.admin || me.membership?.role === 'owner';
        const mayVary = (e: Experiment) =>
          e.merchantId === null ? me.admin : list.merchantParameters.includes(e.parameter);
        this.setData({
          status: 'ready',
          canManage,
          canCreate: me.admin || (canManage && list.merchantParameters.length > 0),
          startable: Object.fromEntries(
            list.experiments
              .filter((e) => canManage && e.status === 'draft' && mayVary(e))
              .map((e) => [e.id, true]),
          ),
          experiments: ordered(list.experiments).map(experimentRow),
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    onOpen(e) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: `${EXPERIMENT_PAGE}?experimentId=${encodeURIComponent(id)}` });
    },

    onCreate() {
      wx.navigateTo({ url: CREATE_PAGE });
    },

    noop() {
      // Intentionally empty: see ListMethods.noop.
    },

    async onStart(e) {
      const id = e.currentTarget.dataset.id;
      if (!id || this.data.busyId) return;
      const ok = await confirmChange('experiment.start');
      if (ok) await this.change(id, 'experiment.start');
    },

    async onStop(e) {
      const id = e.currentTarget.dataset.id;
      if (!id || this.data.busyId) return;
      const ok = await confirmChange('experiment.stop');
      if (ok) await this.change(id, 'experiment.stop');
    },

    /** The row shows the server's answer; a refusal (e.g. the layer is full) is shown as it comes. */
    async change(id, action) {
      this.setData({ busyId: id });
      try {
        const res: MerchantResponse = await getApi().call('merchant', { action, experimentId: id });
        if (!('experiment' in res)) throw new Error('unexpected answer');
        const row = experimentRow(res.experiment);
        this.setData({
          busyId: '',
          [`startable.${id}`]: false,
          experiments: this.data.experiments.map((r) => (r.id === id ? row : r)),
        });
        wx.showToast({ title: doneText(action), icon: 'success' });
      } catch (err) {
        this.setData({ busyId: '' });
        showRefusal(toApiError(err).message);
      }
    },
  },
});
