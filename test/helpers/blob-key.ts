/** The blob encryption key the cloud adapter's tests run with, and its cipher (to read sealed blobs back in scans). */
import { BlobCipher } from '../../server/adapters/cloud/blob-cipher';

/** 32 fixed bytes, base64: BLOB_ENCRYPTION_KEY of every test cloud environment. */
export const TEST_BLOB_KEY = Buffer.from('test blob key: 32 bytes, fixed!!', 'latin1').toString(
  'base64',
);

export const testCipher = (): BlobCipher => new BlobCipher(Buffer.from(TEST_BLOB_KEY, 'base64'));

/** The config the cloud adapter's tests open their stores with. */
export const TEST_CLOUD_CONFIG = {
  cloudEnv: '',
  blobEncryptionKey: TEST_BLOB_KEY,
  paySubMchId: 'test-sub-mch',
  /** What the cloud runtime sets as TCB_ENV (cloud payments name it as the notify's env). */
  runtimeEnv: 'test-env',
};

/** The sub-merchant the test transport's WeChat Pay is bound to (test/helpers/cloud-transport.ts). */
export const TEST_SUB_MCH_ID = TEST_CLOUD_CONFIG.paySubMchId;
