/**
 * The Me page's "我的行程" section (旅游出行): the trip from `content` trip.list, folded at first so
 * the page opens with no extra request; each entry opens its detail page or is removed
 * (trip.remove). What the section shows is always the server's answer.
 */
import { foldable } from '../../../behaviors/loadable';
import { measuredPart } from '../../../behaviors/measured';
import type { ContentResponse, TripView } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { toQuery } from '../../../services/slate-ref';
import { tripSummary } from './view';

interface TripRow {
  id: string;
  title: string;
  city: string;
}

/** With `foldable`'s expanded, status (idle, loading, ready, error) and errorMessage. */
interface TripData {
  rows: TripRow[];
  summary: string;
}

type TripMethods = {
  load(): Promise<void>;
  show(t: TripView): void;
  onOpen(e: WechatMiniprogram.BaseEvent): void;
  onRemove(e: WechatMiniprogram.BaseEvent): Promise<void>;
};

function tripOf(res: ContentResponse): TripView {
  if ('trip' in res) return res.trip;
  throw new Error('unexpected answer');
}

Component<TripData, Record<string, never>, TripMethods, [typeof measuredPart, typeof foldable]>({
  // Its named taps are counted (services/features.ts) and its setData in its page's meter; its toggle loads it when first unfolded.
  behaviors: [measuredPart, foldable],
  data: { rows: [], summary: '查看我的行程' },

  methods: {
    async load() {
      try {
        this.show(tripOf(await getApi().call('content', { action: 'trip.list' })));
        this.setData({ status: 'ready' });
      } catch (err) {
        this.showFailure(err);
      }
    },

    show(t) {
      this.setData({
        rows: t.entries.map((e) => ({ id: e.item.id, title: e.item.title, city: e.city })),
        summary: tripSummary(t),
      });
    },

    onOpen(e) {
      const { id } = e.currentTarget.dataset as { id: string };
      wx.navigateTo({ url: `/pages/detail/index?${toQuery({ itemId: id })}` });
    },

    async onRemove(e) {
      const { id } = e.currentTarget.dataset as { id: string };
      try {
        this.show(tripOf(await getApi().call('content', { action: 'trip.remove', itemId: id })));
        wx.showToast({ title: '已移出行程', icon: 'none' });
      } catch (err) {
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },
  },
});
