/**
 * 选择你感兴趣的内容 (first launch, and from 我的): the catalog's categories as large toggles; 完成
 * sends the choice (`account` interests.set: it seeds the profile until behaviour speaks, so the
 * first feed already leans to it) and the feed starts over; 跳过 is fine. Opened again, it shows
 * the stored choice, and clearing it all withdraws it.
 */
import type { ChosenInterestsView } from '../../../typings';
import { getApi } from '../../services/api';
import { toApiError } from '../../services/api-error';
import { measured } from '../../behaviors/measured';
import { markFeedStale } from '../../services/feed-refresh';
import { markOnboarded } from '../../services/onboarding';
import { CHANNELS } from '../feed/channels';

interface Option {
  name: string;
  chosen: boolean;
}

interface OnboardingData {
  options: Option[];
  chosenCount: number;
  saving: boolean;
  error: string;
  /** Opened from 我的 (a choice may exist): 保存 rather than 开始浏览, and no 跳过. */
  fromMe: boolean;
}

type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { name?: string }>;

type OnboardingMethods = {
  onLoad(query?: Record<string, string | undefined>): Promise<void>;
  onToggle(e: Tap): void;
  onDone(): Promise<void>;
  onSkip(): void;
  leave(): void;
};

/** What 开始浏览 shows: derived from the toggles each time they change. */
const countChosen = (options: readonly Option[]): number => options.filter((o) => o.chosen).length;

const CATEGORIES = CHANNELS.filter((c) => c.name).map((c) => c.name);

Component<OnboardingData, Record<string, never>, OnboardingMethods, [typeof measured]>({
  behaviors: [measured],

  data: {
    options: CATEGORIES.map((name) => ({ name, chosen: false })),
    chosenCount: 0,
    saving: false,
    error: '',
    fromMe: false,
  },

  methods: {
    async onLoad(query) {
      const fromMe = query?.from === 'me';
      this.setData({ fromMe });
      if (!fromMe) return;
      try {
        const res = await getApi().call('account', { action: 'interests.get' });
        const stored = ('interests' in res ? res.interests : null) as ChosenInterestsView | null;
        const chosen = new Set(stored?.categories ?? []);
        const options = CATEGORIES.map((name) => ({ name, chosen: chosen.has(name) }));
        this.setData({ options, chosenCount: countChosen(options) });
      } catch (err) {
        this.setData({ error: toApiError(err).message });
      }
    },

    onToggle(e) {
      const name = e.currentTarget.dataset.name;
      const i = this.data.options.findIndex((o) => o.name === name);
      if (i < 0) return;
      const chosen = !this.data.options[i].chosen;
      const options = this.data.options.map((o, j) => (j === i ? { ...o, chosen } : o));
      // By path, so setData carries one flag; the count is read off the options, never kept apart.
      this.setData({
        [`options[${i}].chosen`]: chosen,
        chosenCount: countChosen(options),
        error: '',
      });
    },

    async onDone() {
      if (this.data.saving) return;
      const categories = this.data.options.filter((o) => o.chosen).map((o) => o.name);
      this.setData({ saving: true, error: '' });
      try {
        await getApi().call('account', { action: 'interests.set', categories });
        markOnboarded(wx);
        markFeedStale(); // the feed starts over, ranked with the choice
        this.setData({ saving: false });
        this.leave();
      } catch (err) {
        this.setData({ saving: false, error: toApiError(err).message });
      }
    },

    onSkip() {
      markOnboarded(wx);
      this.leave();
    },

    leave() {
      if (getCurrentPages().length > 1) wx.navigateBack({ delta: 1 });
      else wx.switchTab({ url: '/pages/feed/index' });
    },
  },
});
