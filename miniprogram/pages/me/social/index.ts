/**
 * 好友与圈子 on the Me page: 关注 / 粉丝 counts, 可能认识的人 with 关注, 推荐圈子, 关注的作者 with
 * 取消关注, and the switch
 * that hides the caller from others' social proof. Folded until tapped (the Me page only places it,
 * and its first screen makes no extra request); unfolding loads it. Other people appear by handle
 * and a made-up name only.
 */
import { foldable } from '../../../behaviors/loadable';
import { measuredPart } from '../../../behaviors/measured';
import type { AuthorView, SocialGroup, SocialPerson } from '../../../../typings';
import { getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';

/**
 * With `foldable`'s status (idle: folded, loading, ready, error) and errorMessage; it unfolds
 * once and stays (`expanded` unused).
 */
interface SocialData {
  people: SocialPerson[];
  groups: SocialGroup[];
  /** 关注的作者 (followed on an item's detail page). */
  authors: AuthorView[];
  following: number;
  followers: number;
  hidden: boolean;
}

type SocialMethods = {
  load(): Promise<void>;
  onFollow(e: WechatMiniprogram.BaseEvent): Promise<void>;
  onUnfollowAuthor(e: WechatMiniprogram.BaseEvent): Promise<void>;
  onHide(e: { detail: boolean }): Promise<void>;
};

Component<SocialData, Record<string, never>, SocialMethods, [typeof measuredPart, typeof foldable]>(
  {
    // Its named taps are counted (services/features.ts) and its setData in its page's meter; loadOnce unfolds it, onRetry retries.
    behaviors: [measuredPart, foldable],
    data: {
      people: [],
      groups: [],
      authors: [],
      following: 0,
      followers: 0,
      hidden: false,
    },

    methods: {
      async load() {
        try {
          const api = getApi();
          const [s, following, followers, authors] = await Promise.all([
            api.call('content', { action: 'social.suggestions' }),
            api.call('content', { action: 'social.following', limit: 50 }),
            api.call('content', { action: 'social.followers', limit: 50 }),
            api.call('content', { action: 'author.following', limit: 50 }),
          ]);
          if (
            s.action !== 'social.suggestions' ||
            following.action !== 'social.following' ||
            followers.action !== 'social.followers' ||
            authors.action !== 'author.following'
          )
            throw new Error('unexpected answer');
          this.setData({
            people: s.people,
            groups: s.groups,
            authors: authors.authors,
            hidden: s.hidden,
            following: following.people.length,
            followers: followers.people.length,
            status: 'ready',
          });
        } catch (err) {
          this.showFailure(err);
        }
      },

      async onFollow(e) {
        const handle = String((e.currentTarget.dataset as { handle?: string }).handle ?? '');
        if (!handle) return;
        try {
          await getApi().call('content', { action: 'social.follow', handle });
          this.setData({
            people: this.data.people.filter((p) => p.handle !== handle),
            following: this.data.following + 1,
          });
        } catch (err) {
          wx.showToast({ title: toApiError(err).message, icon: 'none' });
        }
      },

      async onUnfollowAuthor(e) {
        const id = String((e.currentTarget.dataset as { id?: string }).id ?? '');
        if (!id) return;
        try {
          await getApi().call('content', { action: 'author.unfollow', authorId: id });
          this.setData({ authors: this.data.authors.filter((a) => a.id !== id) });
        } catch (err) {
          wx.showToast({ title: toApiError(err).message, icon: 'none' });
        }
      },

      async onHide(e) {
        const hidden = e.detail;
        try {
          const res = await getApi().call('content', { action: 'social.hide', hidden });
          if (res.action === 'social.hide') this.setData({ hidden: res.hidden });
        } catch (err) {
          wx.showToast({ title: toApiError(err).message, icon: 'none' });
        }
      },
    },
  },
);
