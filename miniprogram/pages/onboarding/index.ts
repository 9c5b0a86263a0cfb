/**
 * 选择你感兴趣的内容 (first launch, and from 我的): the scene's categories as large toggles — the
 * channels the server says the deployment serves (SCENE: 金融理财 offers 理财 and 财经 only), waited
 * for when the feed's first answer has not come yet, every demo category if it never does; 完成
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
import { knownScene, onScene, SCENE_WAIT_MS } from '../../services/app-scene';
import { CHANNELS } from '../feed/channels';

interface Option {
  name: string;
  chosen: boolean;
}

interface OnboardingData {
  options: Option[];
  /** The scene is not known yet (the feed's first answer is on its way). */
  waiting: boolean;
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
  onUnload(): void;
  offer(names: readonly string[]): void;
  stopWaiting(): void;
  leave(): void;
};

interface OnboardingInstance {
  /** The stored choice (opened from 我的), marked wherever it is offered. */
  chosenBefore: Set<string>;
  unsubscribe: (() => void) | undefined;
  timer: number | undefined;
}

/** What 开始浏览 shows: derived from the toggles each time they change. */
const countChosen = (options: readonly Option[]): number => options.filter((o) => o.chosen).length;

/** Every demo category: offered when the scene cannot be learnt (the feed's first page failed). */
const ALL_CATEGORIES = CHANNELS.filter((c) => c.name).map((c) => c.name);

Component<
  OnboardingData,
  Record<string, never>,
  OnboardingMethods,
  [typeof measured],
  OnboardingInstance,
  true
>({
  behaviors: [measured],

  data: {
    options: [],
    waiting: true,
    chosenCount: 0,
    saving: false,
    error: '',
    fromMe: false,
  },

  lifetimes: {
    created() {
      this.chosenBefore = new Set();
      this.unsubscribe = undefined;
      this.timer = undefined;
    },
    detached() {
      this.stopWaiting();
    },
  },

  methods: {
    async onLoad(query) {
      const fromMe = query?.from === 'me';
      this.setData({ fromMe });
      // The options follow what the server says the scene is, now and if it tells again.
      this.unsubscribe = onScene((view) => {
        if (this.timer !== undefined) clearTimeout(this.timer);
        this.timer = undefined;
        this.offer(view.channels);
      });
      const known = knownScene(wx);
      if (known) this.offer(known.channels);
      else
        this.timer = setTimeout(
          () => this.offer(ALL_CATEGORIES),
          SCENE_WAIT_MS,
        ) as unknown as number;
      if (!fromMe) return;
      try {
        const res = await getApi().call('account', { action: 'interests.get' });
        const stored = ('interests' in res ? res.interests : null) as ChosenInterestsView | null;
        this.chosenBefore = new Set(stored?.categories ?? []);
        if (!this.data.waiting) this.offer(this.data.options.map((o) => o.name));
      } catch (err) {
        this.setData({ error: toApiError(err).message });
      }
    },

    onUnload() {
      this.stopWaiting();
    },

    /** Offers these categories, keeping what is toggled on among them and marking the stored choice. */
    offer(names) {
      const on = new Set(this.data.options.filter((o) => o.chosen).map((o) => o.name));
      const options = names.map((name) => ({
        name,
        chosen: on.has(name) || this.chosenBefore.has(name),
      }));
      this.setData({ options, waiting: false, chosenCount: countChosen(options) });
    },

    stopWaiting() {
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
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
      this.stopWaiting();
      if (getCurrentPages().length > 1) wx.navigateBack({ delta: 1 });
      else wx.switchTab({ url: '/pages/feed/index' });
    },
  },
});
