/**
 * WeChat open data behind a cloudID (here: the group a shared card was opened in, from
 * `wx.getShareInfo`). Not storage: the cloud resolves it with `cloud.getOpenData` (WeChat checks
 * that the cloudID is genuine, fresh and the caller's own); the local host has a stand-in that
 * accepts only a documented test form. Bundled with the stores like the payment service.
 */

/** WeChat refused the cloudID (forged, expired, another user's, or not a group's share info). */
export class OpenDataRejected extends Error {
  constructor(
    readonly code: 'INVALID' | 'EXPIRED' | 'NOT_CALLER' | 'NOT_GROUP',
    message: string,
  ) {
    super(message);
    this.name = 'OpenDataRejected';
  }
}

export interface OpenData {
  /**
   * The openGId of the group a share was opened in, from the share info's cloudID; throws
   * OpenDataRejected when WeChat does not vouch for it.
   */
  shareGroup(cloudID: string): Promise<string>;
}
