/**
 * WeChat open data through the real wx-server-sdk: `cloud.getOpenData({ list: [cloudID] })`,
 * which the SDK sends as the open-API call `ApiGetOpenDataByCloudId` (the TCB action
 * `wx.openApi`). WeChat vouches for the cloudID — genuine, not expired, the calling user's own —
 * or refuses it with one of its error codes, read here into OpenDataRejected.
 */
import { OpenDataRejected, type OpenData } from '../../ports/open-data';
import type { Cloud } from './sdk';

/** wx-server-sdk's codes for WeChat's refusals of a cloudID (its config/error.config). */
const REFUSALS: Record<number, OpenDataRejected['code']> = {
  [-601005]: 'INVALID',
  [-601006]: 'EXPIRED',
  [-601007]: 'NOT_CALLER',
};

export class CloudOpenData implements OpenData {
  constructor(private readonly cloud: Pick<Cloud, 'getOpenData'>) {}

  async shareGroup(cloudID: string): Promise<string> {
    let list: Record<string, unknown>[];
    try {
      ({ list } = await this.cloud.getOpenData({ list: [cloudID] }));
    } catch (err) {
      const code = REFUSALS[Number((err as { errCode?: unknown } | null)?.errCode)];
      if (code) throw new OpenDataRejected(code, String((err as { errMsg?: unknown }).errMsg));
      throw err;
    }
    // A cloudID of other open data (e.g. 微信运动) resolves too, but names no group.
    const data = (list[0] as { data?: { openGId?: unknown } } | undefined)?.data;
    const openGId = data?.openGId;
    if (typeof openGId !== 'string' || !openGId)
      throw new OpenDataRejected('NOT_GROUP', 'the cloudID is not a share info of a group');
    return openGId;
  }
}
