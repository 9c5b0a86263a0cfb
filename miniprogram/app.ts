/**
 * App entry: starts analytics (privacy consent, the event tracker, performance entries) and
 * reports a share opened in a group chat (services/group-open.ts). The backend client itself is
 * built lazily by services/api on first call, so launch stays cheap.
 */
import { startAnalytics } from './services/analytics';
import { getApi } from './services/api';
import { createGroupOpens, type EnterOptions, type GroupOpenWx } from './services/group-open';

const groupOpens = createGroupOpens({ wx: wx as unknown as GroupOpenWx, api: getApi });

App({
  onLaunch(options: EnterOptions) {
    startAnalytics();
    void groupOpens.onEnter(options);
  },
  onShow(options: EnterOptions) {
    void groupOpens.onEnter(options);
  },
});
