/** The subscription-message channel (订阅消息): WeChat's subscribeMessage.send, or the local host's stand-in. */

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** The Mini Program page the message opens, with its query (e.g. pages/detail/index?id=…). */
  page: string;
  /** The template's fields: key (thing1, time2, …) → value. */
  data: Record<string, { value: string }>;
}

export interface SubscribeMessenger {
  /**
   * Sends one message; WeChat's refusals reject as SubscribeMessageError: 43101 (the user did
   * not accept, or used up, this template), 47003 (data does not fit the template), 40037
   * (no such template).
   */
  send(message: SubscribeMessage): Promise<void>;
}

export class SubscribeMessageError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`subscribeMessage.send: ${errcode} ${errmsg}`);
    this.name = 'SubscribeMessageError';
  }
}
