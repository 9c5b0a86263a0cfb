/** Which backend the Mini Program talks to: the WeChat cloud, or the local host started by `npm start`. */

export interface BackendConfig {
  /**
   * 'cloud': wx.cloud.callFunction (needs a real appid with cloud development enabled).
   * 'local': POST to the local host; identity is a per-device dev id sent as `x-openid`.
   */
  mode: 'cloud' | 'local';
  /** Local host origin, without the `/api` path. DevTools must not check request domains (urlCheck off). */
  localBaseUrl: string;
  /** Cloud environment id; empty string means the default environment of the appid. */
  cloudEnv: string;
  /** Per-request timeout, ms. */
  timeoutMs: number;
}

/**
 * The switch. Local is the default because the repository ships with the tourist appid, which
 * cannot use cloud development; set mode 'cloud' and cloudEnv once a real appid is configured.
 */
export const backendConfig: BackendConfig = {
  mode: 'local',
  localBaseUrl: 'http://127.0.0.1:3000',
  cloudEnv: '',
  timeoutMs: 10000,
};
