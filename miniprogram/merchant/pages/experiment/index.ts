/**
 * One experiment (`/merchant/pages/experiment/index?experimentId=…`): its definition, and once
 * started its results — per variant the metric with its 95 % interval drawn as a bar, the
 * difference to control with interval and p-value in words, a prominent sample-ratio-mismatch
 * warning and a notice when the server capped what it read. Owners start and stop it here too.
 */
import type { Experiment } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { confirmChange, doneText, showRefusal } from '../../experiment-actions';
import type { ExperimentChange } from '../../experiment-actions';
import { headerView, resultsView } from './view';
import type { HeaderView, ResultsView } from './view';

/** With `loadable`'s status (loading, ready, error) and errorMessage. */
interface ExperimentData {
  canManage: boolean;
  state: Experiment['status'] | '';
  /** Why there are no results (never started), shown instead of them. */
  noResultsText: string;
  header: HeaderView | null;
  results: ResultsView | null;
  busy: boolean;
}

type ExperimentMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  onPullDownRefresh(): Promise<void>;
  load(): Promise<void>;
  onStart(): Promise<void>;
  onStop(): Promise<void>;
  change(action: ExperimentChange): Promise<void>;
};

interface ExperimentInstance {
  experimentId: string;
}

Component<
  ExperimentData,
  Record<string, never>,
  ExperimentMethods,
  [typeof loadable],
  ExperimentInstance,
  true
>({
  behaviors: [loadable],

  data: {
    canManage: false,
    state: '',
    noResultsText: '',
    header: null,
    results: null,
    busy: false,
  },

  lifetimes: {
    created() {
      this.experimentId = '';
    },
  },

  methods: {
    async onLoad(query) {
      this.experimentId = query?.experimentId ?? '';
      if (!this.experimentId) {
        this.setData({ status: 'error', errorMessage: '没有指定实验，请从实验列表进入' });
        return;
      }
      await this.load();
    },

    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },

    /** The definition first: one never started (a draft, or stopped as a draft) has no results; the server refuses them. */
    async load() {
      const experimentId = this.experimentId;
      try {
        const api = getApi();
        const [me, got] = await Promise.all([
          api.call('merchant', { action: 'me' }),
          api.call('merchant', { action: 'experiment.get', experimentId }),
        ]);
        if (me.action !== 'me' || got.action !== 'experiment.get')
          throw new Error('unexpected answer');
        let experiment = got.experiment;
        let results: ResultsView | null = null;
        if (experiment.startedAt !== null) {
          const res = await api.call('merchant', { action: 'experiment.results', experimentId });
          if (res.action !== 'experiment.results') throw new Error('unexpected answer');
          experiment = res.experiment;
          results = resultsView(res.experiment, res.results);
        }
        this.setData({
          status: 'ready',
          canManage: me.admin || me.membership?.role === 'owner',
          state: experiment.status,
          noResultsText:
            experiment.startedAt !== null
              ? ''
              : experiment.status === 'draft'
                ? '实验尚未开始，开始后这里会显示各组结果'
                : '实验未开始就已停止，没有结果',
          header: headerView(experiment),
          results,
        });
        wx.setNavigationBarTitle({ title: experiment.name });
      } catch (err) {
        this.showFailure(err);
      }
    },

    async onStart() {
      if (this.data.busy) return;
      const ok = await confirmChange('experiment.start');
      if (ok) await this.change('experiment.start');
    },

    async onStop() {
      if (this.data.busy) return;
      const ok = await confirmChange('experiment.stop');
      if (ok) await this.change('experiment.stop');
    },

    async change(action) {
      this.setData({ busy: true });
      try {
        await getApi().call('merchant', { action, experimentId: this.experimentId });
        wx.showToast({ title: doneText(action), icon: 'success' });
        this.setData({ busy: false });
        await this.load();
      } catch (err) {
        this.setData({ busy: false });
        showRefusal(toApiError(err).message);
      }
    },
  },
});
