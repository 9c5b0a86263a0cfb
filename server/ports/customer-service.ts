/** The customer-service channel (客服消息): messages the Mini Program's customer service sends a user who wrote to it. */

/** What we send: text only (a Mini Program card needs a thumbnail uploaded as media first). */
export interface OutgoingMessage {
  kind: 'text';
  text: string;
}

export interface CustomerServiceChannel {
  /**
   * Sends a message to a user in their customer-service session. WeChat accepts it only within
   * 48 hours of the user's last message to customer service (errcode 45015 otherwise), which
   * rejects as CustomerServiceError.
   */
  send(openid: string, message: OutgoingMessage): Promise<void>;
}

/** WeChat refused a customer-service message (errcode and errmsg as WeChat answered). */
export class CustomerServiceError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`customerServiceMessage.send: ${errcode} ${errmsg}`);
    this.name = 'CustomerServiceError';
  }
}
