/**
 * The one owner of the `attach` format: the attribution an order carries through WeChat Pay
 * (campaign, slate, position) as compact JSON within WeChat's 127 bytes. Reports read the order's
 * stored attribution; the attach is what WeChat echoes back (checked, never trusted).
 */
import type { OrderAttribution } from '../ports';

export const ATTACH_MAX_BYTES = 127;

export function encodeAttach(a: OrderAttribution): string {
  const full = JSON.stringify({ c: a.campaignId, s: a.slateId, p: a.position });
  if (Buffer.byteLength(full) <= ATTACH_MAX_BYTES) return full;
  // A long slate id would not fit: the campaign alone still attributes the order.
  return JSON.stringify({ c: a.campaignId });
}

export function decodeAttach(raw: unknown): OrderAttribution | null {
  if (typeof raw !== 'string') return null;
  try {
    const v = JSON.parse(raw) as { c?: unknown; s?: unknown; p?: unknown };
    if (typeof v.c !== 'string') return null;
    return {
      campaignId: v.c,
      ...(typeof v.s === 'string' ? { slateId: v.s } : {}),
      ...(typeof v.p === 'number' ? { position: v.p } : {}),
    };
  } catch {
    return null;
  }
}
