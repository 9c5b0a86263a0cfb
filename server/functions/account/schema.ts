/** Validation of `account` requests: one strict shape per action. */
import { z } from 'zod';
import type { AccountRequest } from '../../../typings';

export const accountInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('consent.set'),
    noticeVersion: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'must be a notice version like 2026-11 or v3'),
    granted: z.boolean(),
  }),
  z.strictObject({ action: z.literal('consent.get') }),
  z.strictObject({ action: z.literal('personalization.set'), enabled: z.boolean() }),
  z.strictObject({ action: z.literal('profile.get') }),
  z.strictObject({ action: z.literal('export.page'), cursor: z.string().min(1).max(800).optional() }),
  z.strictObject({ action: z.literal('erase.start') }),
  z.strictObject({ action: z.literal('erase.status') }),
]);

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof accountInput>;
const _same: [Parsed extends AccountRequest ? true : false, AccountRequest extends Parsed ? true : false] = [true, true];
void _same;
