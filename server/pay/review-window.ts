/** How long a held order (支付安全) waits for the merchant's review, its stock reserved, before train's maintenance closes it. */
export const REVIEW_WINDOW_MS = 48 * 3_600_000;
