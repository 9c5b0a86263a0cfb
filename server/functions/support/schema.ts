/** Validation of `support` requests: one strict shape per action; texts are only bounded here, their rules are in server/support/limits.ts. */
import { z } from 'zod';
import type { SupportRequest } from '../../../typings';

/** Above this the payload is malformed rather than a question to explain (the question limit itself is far lower). */
export const MAX_TEXT_PAYLOAD = 4_000;
/** A CSV import is at most this many characters (500 entries of a few hundred characters). */
export const MAX_CSV = 200_000;

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'may only contain letters, digits and _ : . -');
const text = z.string().max(MAX_TEXT_PAYLOAD);

export const supportInput = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('ask'),
    question: text,
    merchantId: id.optional(),
    context: z
      .string()
      .max(128)
      .regex(/^[A-Za-z0-9_:.\-=&]*$/, 'may only contain letters, digits and _ : . - = &')
      .optional(),
    previousAskId: z.uuid().optional(),
  }),
  z.strictObject({
    action: z.literal('feedback'),
    askId: z.uuid(),
    verdict: z.enum(['helpful', 'unhelpful', 'handoff']),
    faqId: z.uuid().optional(),
  }),
  z.strictObject({ action: z.literal('faq.list') }),
  z.strictObject({
    action: z.literal('faq.save'),
    entry: z.strictObject({
      id: z.uuid().optional(),
      revision: z.number().int().min(1).optional(),
      category: text,
      question: text,
      answer: text,
      similar: z.array(text).max(50),
    }),
  }),
  z.strictObject({ action: z.literal('faq.delete'), id: z.uuid() }),
  z.strictObject({ action: z.literal('faq.import'), csv: z.string().max(MAX_CSV) }),
  z.strictObject({ action: z.literal('report'), days: z.number().int().min(1).max(90).optional() }),
  z.strictObject({ action: z.literal('dictionary.get') }),
  z.strictObject({
    action: z.literal('dictionary.save'),
    // Bounded here; the words' own rules (length, characters, one group per word) in server/support/dictionary.ts.
    dictionary: z.strictObject({
      words: z.array(z.string().max(64)).max(1000),
      synonyms: z.array(z.array(z.string().max(64)).max(50)).max(500),
      revision: z.number().int().min(0),
    }),
  }),
]);

// Compile-time guard: the schema and the shared contract describe the same requests.
type Parsed = z.infer<typeof supportInput>;
const _same: [
  Parsed extends SupportRequest ? true : false,
  SupportRequest extends Parsed ? true : false,
] = [true, true];
void _same;
