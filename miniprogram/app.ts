/**
 * App entry: starts analytics (privacy consent, the event tracker, performance entries). The
 * backend client itself is built lazily by services/api on first call, so launch stays cheap.
 */
import { startAnalytics } from './services/analytics';

App({
  onLaunch() {
    startAnalytics();
  },
});
