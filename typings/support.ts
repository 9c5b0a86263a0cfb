/**
 * The `support` function's contract (智能客服): ask a question of a FAQ and get its best answers
 * (or 转人工 first when none is a confident match), say whether an answer helped, and, for a
 * merchant's staff, edit that merchant's FAQ, import it from CSV and read what was asked.
 * Identity always comes from the WeChat context.
 */

/** One answer offered for a question. */
export interface SupportAnswer {
  faqId: string;
  category: string;
  /** The FAQ question the answer belongs to. */
  question: string;
  answer: string;
  /** Confidence that the FAQ question asks what the user asked, in [0, 1]. */
  score: number;
}

/** 有用, 没用, or 转人工 (the user wants a person). */
export type SupportVerdictInput = 'helpful' | 'unhelpful' | 'handoff';

/** A FAQ entry as the editor shows it. */
export interface FaqEntryView {
  id: string;
  category: string;
  question: string;
  answer: string;
  similar: string[];
  revision: number;
  updatedAt: number;
}

/** What the editor sends: a new entry (no id) or an edit of the revision it loaded. */
export interface FaqEntryInput {
  id?: string;
  revision?: number;
  category: string;
  question: string;
  answer: string;
  similar: string[];
}

/**
 * A FAQ scope's own words for the text engine: dictionary words the segmenter keeps whole
 * (product names, the merchant's terms) and synonym groups, each word mapped to its group's first.
 */
export interface FaqDictionaryInput {
  words: string[];
  synonyms: string[][];
  /** The revision loaded (0 when none was saved yet). */
  revision: number;
}

export interface FaqDictionaryView {
  words: string[];
  synonyms: string[][];
  revision: number;
  /** Server time of the last save, null before the first. */
  updatedAt: number | null;
}

export interface SupportReport {
  days: number;
  asks: number;
  /** Asks whose best answer was confident (no 转人工 first). */
  answered: number;
  helpful: number;
  unhelpful: number;
  handoffs: number;
  /** FAQ entries shown first most often, with what people said of them. */
  topQuestions: {
    faqId: string;
    question: string;
    asks: number;
    helpful: number;
    unhelpful: number;
  }[];
  /** Questions no entry matched confidently (or that were handed off), most frequent first. */
  unanswered: { question: string; count: number }[];
}

export type SupportRequest =
  /**
   * A question (1–200 characters once control characters are removed and it is trimmed) to the
   * FAQ of a merchant (merchantId) or of the platform (no merchantId). `context` says where it
   * was asked (e.g. item:abc, the session-from of a contact button); `previousAskId` is the
   * caller's last ask, which counts as not helped when it was asked again without a verdict.
   */
  | {
      action: 'ask';
      question: string;
      merchantId?: string;
      context?: string;
      previousAskId?: string;
    }
  /** The verdict on an ask, once; faqId names the answer it is about (one of those shown). */
  | { action: 'feedback'; askId: string; verdict: SupportVerdictInput; faqId?: string }
  /** The caller's merchant's FAQ (the platform's for a platform admin who is no merchant member). */
  | { action: 'faq.list' }
  | { action: 'faq.save'; entry: FaqEntryInput }
  | { action: 'faq.delete'; id: string }
  /**
   * Adds entries from CSV text with a header row naming the columns 分类 (or category), 问题
   * (question), 答案 (answer) and optionally 相似问法 (similar; phrasings separated by |).
   * All rows or none: a bad row answers INVALID_INPUT naming its line.
   */
  | { action: 'faq.import'; csv: string }
  /** What was asked of the caller's FAQ over the last `days` (1–90, default 7). */
  | { action: 'report'; days?: number }
  /** The editor's scope's dictionary words and synonym groups (revision 0: none saved yet). */
  | { action: 'dictionary.get' }
  /** Replaces them whole, compare-and-set on the revision loaded (CONFLICT when it moved). */
  | { action: 'dictionary.save'; dictionary: FaqDictionaryInput };

export type SupportResponse =
  | {
      action: 'ask';
      askId: string;
      answers: SupportAnswer[];
      /** True when no answer is a confident match: the page offers 转人工 first. */
      lowConfidence: boolean;
    }
  | { action: 'feedback'; recorded: true }
  | { action: 'faq.list'; entries: FaqEntryView[] }
  | { action: 'faq.save'; entry: FaqEntryView }
  | { action: 'faq.delete'; deleted: true }
  | { action: 'faq.import'; added: number }
  | { action: 'report'; report: SupportReport }
  | { action: 'dictionary.get' | 'dictionary.save'; dictionary: FaqDictionaryView };

/**
 * A customer-service message WeChat pushes to the `csmessage` function (消息推送, JSON format):
 * the user's text, image or Mini Program card, or the event of entering the session from a
 * `<button open-type="contact">` (SessionFrom is that button's session-from). CreateTime is in
 * seconds. FromUserName is the user's openid, which must match the caller's identity.
 */
export interface CsMessageRequest {
  ToUserName: string;
  FromUserName: string;
  CreateTime: number;
  MsgType: 'text' | 'image' | 'miniprogrampage' | 'event';
  Content?: string;
  MsgId?: number | string;
  PicUrl?: string;
  MediaId?: string;
  Title?: string;
  AppId?: string;
  PagePath?: string;
  ThumbUrl?: string;
  ThumbMediaId?: string;
  Event?: string;
  SessionFrom?: string;
}

/**
 * What the handler did: answer (the best FAQ answer sent), handoff (no confident answer: the
 * user is told a person will reply), welcome (entered the session), hint (asked for text),
 * none (nothing sent: the 48-hour reply window had closed, or WeChat refused the message).
 */
export interface CsMessageResponse {
  replied: 'answer' | 'handoff' | 'welcome' | 'hint' | 'none';
  /** The text sent, if any. */
  text?: string;
  /** The ask logged for a text message (its feedback comes from the page, if ever). */
  askId?: string;
}
