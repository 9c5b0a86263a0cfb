/** Validation of `content` requests: one strict shape per action. Comment text is only bounded here; its rules are in comment-rules.ts. */
import { z } from 'zod';
import type { ContentRequest } from '../../../typings';
import { MAX_PAGE } from '../../content/cursor';
import { MAX_QUERY_CHARS } from '../../content/search';
import { REPORT_REASONS } from '../../ports';

/** Above this the payload is malformed rather than a comment to explain (the comment limit itself is far lower). */
export const MAX_TEXT_PAYLOAD = 4_000;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'may only contain letters, digits and _ : . -');
/** A person's handle (server/social/people.ts: 16 base64url characters). */
const handle = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'is not a handle');
/** A share info's cloudID (WeChat's: digits, _ and base64url; the local test form adds ':'). */
const cloudID = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_:-]+$/, 'is not a cloudID');
const cursor = z.string().min(1).max(400).optional();
const limit = z.number().int().min(1).max(MAX_PAGE).optional();

export const contentInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('item.get'), itemId: id }),
  z.strictObject({ action: z.literal('ad.get'), adId: id }),
  z.strictObject({ action: z.literal('comment.list'), itemId: id, cursor, limit }),
  z.strictObject({
    action: z.literal('comment.post'),
    itemId: id,
    text: z.string().max(MAX_TEXT_PAYLOAD),
    slateId: id.optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    replyTo: z.uuid().optional(),
  }),
  z.strictObject({ action: z.literal('comment.delete'), commentId: z.uuid() }),
  z.strictObject({
    action: z.literal('comment.report'),
    commentId: z.uuid(),
    reason: z.enum(REPORT_REASONS),
  }),
  z.strictObject({ action: z.literal('comment.flagged'), cursor, limit }),
  z.strictObject({
    action: z.literal('comment.moderate'),
    commentId: z.uuid(),
    decision: z.enum(['hide', 'restore']),
  }),
  z.strictObject({ action: z.literal('likes.list'), cursor, limit }),
  z.strictObject({
    action: z.literal('search'),
    query: z
      .string()
      .max(MAX_QUERY_CHARS)
      .refine((q) => q.trim().length > 0, 'must not be empty'),
    limit,
  }),
  z.strictObject({ action: z.literal('search.hot') }),
  z.strictObject({
    action: z.literal('like.set'),
    itemId: id,
    liked: z.boolean(),
    at: z.number().int().min(0),
  }),
  z.strictObject({ action: z.literal('social.follow'), handle }),
  z.strictObject({ action: z.literal('social.unfollow'), handle }),
  z.strictObject({ action: z.literal('social.following'), limit }),
  z.strictObject({ action: z.literal('social.followers'), limit }),
  z.strictObject({ action: z.literal('social.suggestions') }),
  z.strictObject({ action: z.literal('social.hide'), hidden: z.boolean() }),
  z.strictObject({ action: z.literal('social.group'), cloudID, shareId: id.optional() }),
  z.strictObject({ action: z.enum(['trip.add', 'trip.remove']), itemId: id }),
  z.strictObject({ action: z.literal('trip.list') }),
  z.strictObject({ action: z.literal('author.follow'), itemId: id }),
  z.strictObject({ action: z.literal('author.unfollow'), authorId: id }),
  z.strictObject({ action: z.literal('author.following'), limit }),
]);

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof contentInput>;
const _same: [
  Parsed extends ContentRequest ? true : false,
  ContentRequest extends Parsed ? true : false,
] = [true, true];
void _same;
