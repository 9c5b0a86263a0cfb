/**
 * A scope's FAQ as the text engine sees it: every phrasing of every entry in a two-stage
 * retriever (BM25 over jieba words and character bigrams, then the learned pair re-ranker),
 * answers grouped per entry. The re-ranker learns from the FAQ itself (phrasings of one entry
 * are the same question; the closest phrasing of another entry is not) and from what users said
 * of the answers they got (有用 = same; 没用, 转人工, asked again = not the same).
 */
import { Analyzer } from '../engine/text/analyzer';
import { Corpus } from '../engine/text/corpus';
import { FeedbackModel, shifted } from '../engine/text/feedback';
import { PairReranker, DEFAULT_RERANKER, type LabelledPair } from '../engine/text/reranker';
import { Retriever } from '../engine/text/retrieve';
import type { AskRecord, FaqEntry } from '../ports';
import { jiebaSegmenter } from '../text/segmenter';
import { FINANCE_DICTIONARY, NO_LEXICON, type Lexicon } from './dictionary';

export interface EntryHit {
  entry: FaqEntry;
  /** Confidence in [0, 1]: the mean of the re-ranker's probability and the coverage, moved by feedback on this answer. */
  score: number;
  /** The re-ranker's probability that the entry's best phrasing asks the same as the question. */
  rerank: number;
  /** Share of the question's words (idf-weighted) that the entry's phrasings or answer use. */
  coverage: number;
}

/** Phrasings of one entry paired with each other, at most this many per entry. */
const MAX_POSITIVES = 40;

/** A content category the asker is interested in, weighted 0..1 (their strongest is 1). */
export interface CategoryInterest {
  name: string;
  weight: number;
}

/**
 * The most the asker's interests may add to an answer's ranking key (scores are in [0, 1]): the
 * interests only order answers whose scores are within this of each other — a tie-breaker
 * between near-equal answers, never a reason to prefer a worse match. One question word of a
 * five-word question moves the coverage, and so the score, by about 0.1; this is a fifth of that.
 * Not measured: asks are stored without the asker, so there is no data to learn its benefit from
 * (docs/benchmarks.md, FAQ retrieval).
 */
export const INTEREST_PRIOR_MAX = 0.02;

export class FaqIndex {
  private readonly retriever: Retriever;
  private readonly owner: number[] = [];
  private readonly phrasings: string[] = [];
  private readonly corpus: Corpus;
  /** Per entry: every word of its phrasings and answer. */
  private readonly entryWords: Set<string>[];
  /** Per FAQ category: its name's words and every word of its entries (what it is about). */
  private readonly categoryWords = new Map<string, Set<string>>();
  private readonly feedback = new FeedbackModel();

  constructor(
    readonly entries: readonly FaqEntry[],
    feedback: readonly AskRecord[],
    /** Further label-free text for word statistics (a merchant's index reads the platform FAQ's). */
    background: readonly string[] = [],
    /** The scope's own dictionary words and synonym groups (its editors', dictionary.save). */
    lexicon: Lexicon = NO_LEXICON,
  ) {
    for (let e = 0; e < entries.length; e++) {
      for (const p of [entries[e].question, ...entries[e].similar]) {
        this.phrasings.push(p);
        this.owner.push(e);
      }
    }
    const analyzer = new Analyzer(jiebaSegmenter, {
      dictionary: [...FINANCE_DICTIONARY, ...lexicon.words],
      synonyms: lexicon.synonyms,
    });
    // A small FAQ alone makes every word rare: the asked questions and the background add the
    // common ones (怎么, 操作), so that coverage weighs what a question is about.
    const corpus = new Corpus(analyzer, [
      ...this.phrasings,
      ...feedback.map((a) => a.question),
      ...background,
    ]);
    this.corpus = corpus;
    this.entryWords = entries.map(
      (e) => new Set([e.question, ...e.similar, e.answer].flatMap((t) => corpus.analyse(t).words)),
    );
    entries.forEach((e, i) => {
      const words = this.categoryWords.get(e.category) ?? new Set(corpus.analyse(e.category).words);
      for (const w of this.entryWords[i]) words.add(w);
      this.categoryWords.set(e.category, words);
    });
    // A FAQ gives tens to hundreds of labelled pairs, too few for word features (the benchmark's
    // 31,475 training pairs carry them): the model here weighs the lexical similarities only.
    const reranker = new PairReranker(corpus, {
      ...DEFAULT_RERANKER,
      epochs: 5,
      features: { ...DEFAULT_RERANKER.features, words: false },
    });
    const lexical = new Retriever(corpus, this.phrasings, null);
    reranker.fit([...this.faqPairs(lexical), ...this.feedbackPairs(feedback)]);
    // Oldest first, as they happened (recent() answers newest first).
    for (const a of [...feedback].reverse()) {
      const about = a.verdictFaqId ?? a.shown[0];
      if (a.verdict && about)
        this.feedback.learn(
          corpus.analyse(a.question).words,
          about,
          a.verdict === 'helpful' ? 1 : 0,
        );
    }
    this.retriever = new Retriever(corpus, this.phrasings, reranker);
  }

  private faqPairs(lexical: Retriever): LabelledPair[] {
    const pairs: LabelledPair[] = [];
    for (let e = 0; e < this.entries.length; e++) {
      const ps = [this.entries[e].question, ...this.entries[e].similar];
      let n = 0;
      for (let i = 0; i < ps.length && n < MAX_POSITIVES; i++)
        for (let j = i + 1; j < ps.length && n < MAX_POSITIVES; j++, n++)
          pairs.push({ a: ps[i], b: ps[j], label: 1 });
    }
    // Negatives per phrasing: the lexically closest phrasing of another entry (hard), and the
    // phrasing of another entry a fixed stride away (easy), so that overlap keeps its meaning.
    const n = this.phrasings.length;
    for (let d = 0; d < n; d++) {
      const other = lexical
        .search(this.phrasings[d], 10, d)
        .find((h) => this.owner[h.doc] !== this.owner[d]);
      if (other) pairs.push({ a: this.phrasings[d], b: this.phrasings[other.doc], label: 0 });
      for (let step = 1; step < n; step++) {
        const e = (d + step * 7) % n;
        if (this.owner[e] !== this.owner[d]) {
          pairs.push({ a: this.phrasings[d], b: this.phrasings[e], label: 0 });
          break;
        }
      }
    }
    return pairs;
  }

  private feedbackPairs(asks: readonly AskRecord[]): LabelledPair[] {
    const byId = new Map(this.entries.map((e) => [e.id, e]));
    const pairs: LabelledPair[] = [];
    for (const a of asks) {
      if (!a.verdict) continue;
      const entry = byId.get(a.verdictFaqId ?? a.shown[0] ?? '');
      if (!entry) continue;
      pairs.push({ a: a.question, b: entry.question, label: a.verdict === 'helpful' ? 1 : 0 });
    }
    return pairs;
  }

  /**
   * How much a FAQ category is about the asker's interests, 0..1: the weight of their strongest
   * interest whose every word the category's name or entries use (an interest in 旅行 and the
   * 出行 entries that speak of 旅行). 0 without interests.
   */
  categoryAffinity(category: string, interests: readonly CategoryInterest[]): number {
    const words = this.categoryWords.get(category);
    if (!words) return 0;
    let best = 0;
    for (const it of interests) {
      const own = this.corpus.analyse(it.name).words;
      if (own.length > 0 && own.every((w) => words.has(w)))
        best = Math.max(best, Math.min(1, Math.max(0, it.weight)));
    }
    return best;
  }

  /**
   * The best entries for a question, best first, each scored by its best-matching phrasing.
   * With the asker's interests, answers of a category about them move ahead of others whose
   * score is at most INTEREST_PRIOR_MAX better (scores themselves unchanged).
   */
  search(question: string, k: number, interests: readonly CategoryInterest[] = []): EntryHit[] {
    const best = new Map<number, number>();
    for (const h of this.retriever.search(question, Math.max(10, k * 4))) {
      const e = this.owner[h.doc];
      if (!best.has(e)) best.set(e, h.score); // hits come best first
    }
    const words = this.corpus.analyse(question).words;
    // A FAQ's re-ranker learns from few pairs, so its probability alone is a soft signal; the
    // answer's score is the mean of it and the coverage, which is what ranks the entries.
    const prior = new Map<string, number>();
    const priorOf = (category: string): number => {
      if (!interests.length) return 0;
      let v = prior.get(category);
      if (v === undefined)
        prior.set(category, (v = INTEREST_PRIOR_MAX * this.categoryAffinity(category, interests)));
      return v;
    };
    return [...best]
      .map(([e, p]) => {
        const coverage = this.coverage(words, e);
        const entry = this.entries[e];
        const score = shifted((p + coverage) / 2, this.feedback.shift(words, entry.id));
        return { entry, rerank: p, coverage, score, key: score + priorOf(entry.category) };
      })
      .sort((x, y) => y.key - x.key || x.entry.id.localeCompare(y.entry.id))
      .slice(0, k)
      .map(({ key: _key, ...hit }) => hit);
  }

  /**
   * How much of the question an entry speaks to: the idf-weighted share of the question's
   * distinct words found among the entry's words. A question about something the FAQ never
   * mentions (天气) keeps a low share even when a common word (怎么) made it a candidate.
   */
  private coverage(words: readonly string[], e: number): number {
    let all = 0;
    let hit = 0;
    for (const w of new Set(words)) {
      const idf = this.corpus.words.idf(w);
      all += idf;
      if (this.entryWords[e].has(w)) hit += idf;
    }
    return all > 0 ? hit / all : 0;
  }
}
