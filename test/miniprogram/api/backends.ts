/** The two backend configurations the API client and uploader tests run under: the local host, and cloud environment prod-1a2b. */
import type { BackendConfig } from '../../../miniprogram/services/config';

export const LOCAL_BACKEND: BackendConfig = {
  mode: 'local',
  localBaseUrl: 'http://127.0.0.1:3000/',
  cloudEnv: '',
  timeoutMs: 5000,
};

export const CLOUD_BACKEND: BackendConfig = {
  mode: 'cloud',
  localBaseUrl: 'http://unused',
  cloudEnv: 'prod-1a2b',
  timeoutMs: 5000,
};
