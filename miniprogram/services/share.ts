/**
 * Sharing: the share menus a page offers (chats and groups, with a shareTicket for groups, and
 * 朋友圈), and where an opened share came from. WeChat does not tell the sharer whether a card
 * went to one person or to a group, so a share to chats is recorded as `chat`, and the opener's
 * `share_open` says `group` when the card came from a group (its shareTicket, or a group scene).
 */
export type ShareTarget = 'chat' | 'group' | 'timeline';

/** Launch scenes of a group chat's card (1008; 1044: a card with a shareTicket). */
const GROUP_SCENES = new Set([1008, 1044]);
/** Launch scenes of 朋友圈 (1154: its single-page mode; 1155: opened from that mode). */
const TIMELINE_SCENES = new Set([1154, 1155]);

/** Offers 转发 (with a shareTicket, so a group opener can be told apart) and 分享到朋友圈. */
export function enableShareMenus(): void {
  wx.showShareMenu({ withShareTicket: true, menus: ['shareAppMessage', 'shareTimeline'] });
}

/** Where the share this page was opened from was posted: a group, 朋友圈, or a chat. */
export function openedVia(
  options: { scene?: number; shareTicket?: string } = wx.getEnterOptionsSync(),
): ShareTarget {
  if (options.shareTicket || GROUP_SCENES.has(Number(options.scene))) return 'group';
  if (TIMELINE_SCENES.has(Number(options.scene))) return 'timeline';
  return 'chat';
}
