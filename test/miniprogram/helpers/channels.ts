/** The general scene's content channels in the order the feed's tabs and onboarding show them (server/scenes.ts), written out as the tests expect them. */
export const GENERAL_CHANNELS = ['美食', '旅行', '科技', '健康', '教育', '时尚', '体育', '财经'];

/** The feed's tabs under the general scene: 推荐 first, then each channel. */
export const GENERAL_FEED_TABS = ['推荐', ...GENERAL_CHANNELS];
