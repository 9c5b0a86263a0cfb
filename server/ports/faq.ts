/** FAQ ports of the customer-service scene: a scope's FAQ entries (merchant-edited), and the questions asked with their outcome. */

/** The FAQ a question is asked against: a merchant's id, or PLATFORM_SCOPE for the platform's own. */
export const PLATFORM_SCOPE = 'platform';

export interface FaqEntry {
  /** Server-generated UUID. */
  id: string;
  scope: string;
  category: string;
  question: string;
  answer: string;
  /** Other phrasings of the question (matched like the question itself). */
  similar: string[];
  /** 1 on create, +1 on every edit (compare-and-set). */
  revision: number;
  /** Server time, epoch ms. */
  updatedAt: number;
}

/** What the user said of an answer: 有用, 没用, 转人工, or asked again without saying (rephrased). */
export type AskVerdict = 'helpful' | 'unhelpful' | 'handoff' | 'rephrased';

/** One question asked, what was answered, and what came of it. Names no user. */
export interface AskRecord {
  /** Server-generated UUID, returned to the asker (who alone can give feedback on it). */
  id: string;
  scope: string;
  /** The question as asked (cleaned). */
  question: string;
  at: number;
  /** The answers shown, best first (FAQ ids), and the best one's confidence in [0, 1]. */
  shown: string[];
  confidence: number;
  /** True when the confidence was too low and 转人工 was offered first. */
  lowConfidence: boolean;
  /** Where the question was asked from (a page's context, e.g. item:abc), if given. */
  context: string | null;
  verdict: AskVerdict | null;
  /** The answer the verdict is about (one of `shown`), null for a verdict on the whole answer list. */
  verdictFaqId: string | null;
}

/**
 * A scope's own words for the text engine (智能客服): dictionary words kept whole by the
 * segmenter, and synonym groups mapped to their first word. One document per scope.
 */
export interface FaqDictionary {
  scope: string;
  words: string[];
  synonyms: string[][];
  /** 1 on the first save, +1 on every save (compare-and-set). */
  revision: number;
  updatedAt: number;
}

export interface FaqEntries {
  /** Every entry of the scope, oldest id first (a scope holds at most MAX_FAQ_ENTRIES). */
  list(scope: string): Promise<FaqEntry[]>;
  get(id: string): Promise<FaqEntry | null>;
  /** Stores a new entry; false (nothing changed) when its id exists. */
  create(entry: FaqEntry): Promise<boolean>;
  /** Replaces the entry if its stored revision is `expectedRevision` (and its scope the same); false otherwise. */
  update(entry: FaqEntry, expectedRevision: number): Promise<boolean>;
  /** Deletes the scope's entry; false when there is none. */
  remove(scope: string, id: string): Promise<boolean>;
  /** The scope's dictionary and synonyms, null before the first save. */
  dictionary(scope: string): Promise<FaqDictionary | null>;
  /**
   * Stores the scope's dictionary if the stored one's revision is `expectedRevision` (0: none
   * stored yet); false (nothing changed) otherwise.
   */
  saveDictionary(d: FaqDictionary, expectedRevision: number): Promise<boolean>;
}

export interface SupportAsks {
  add(ask: AskRecord): Promise<void>;
  get(id: string): Promise<AskRecord | null>;
  /** Sets the verdict once: false (nothing changed) when the ask is unknown or already has one. */
  setVerdict(id: string, verdict: AskVerdict, faqId: string | null): Promise<boolean>;
  /** The scope's asks at or after `since`, newest first, at most `limit`. */
  recent(scope: string, since: number, limit: number): Promise<AskRecord[]>;
}
