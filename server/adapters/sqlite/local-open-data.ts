/**
 * LOCAL ONLY: the local host's stand-in for `cloud.getOpenData`, which only WeChat can answer.
 * It accepts one documented test form of a share-info cloudID, `local-share-info:<openGId>`
 * (openGId: 1–64 of A–Z a–z 0–9 _ -), and refuses anything else as WeChat refuses a forged
 * cloudID (INVALID). A real cloudID sent to the local host is therefore refused too: groups are
 * earned locally only through the test form (README → Groups).
 */
import { OpenDataRejected, type OpenData } from '../../ports/open-data';

export const LOCAL_SHARE_INFO_PREFIX = 'local-share-info:';
const OPEN_GID = /^[A-Za-z0-9_-]{1,64}$/;

export class LocalOpenData implements OpenData {
  async shareGroup(cloudID: string): Promise<string> {
    const openGId = cloudID.startsWith(LOCAL_SHARE_INFO_PREFIX)
      ? cloudID.slice(LOCAL_SHARE_INFO_PREFIX.length)
      : '';
    if (!OPEN_GID.test(openGId)) throw new OpenDataRejected('INVALID', 'invalid cloudID');
    return openGId;
  }
}
