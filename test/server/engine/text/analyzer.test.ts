import { Analyzer } from '../../../../server/engine/text/analyzer';
import { charBigrams, charNgrams12, normalize } from '../../../../server/engine/text/normalize';
import { jiebaSegmenter } from '../../../../server/text/segmenter';

describe('normalize', () => {
  it('folds full-width forms and case, drops punctuation, spaces and control characters', () => {
    expect(normalize('花呗，怎么还款？')).toBe('花呗怎么还款');
    expect(normalize('ＡＢＣ１２ 借呗\u0007\uFEFF！')).toBe('abc12借呗');
  });

  it('makes character bigrams and 1–2-grams of the normalised text', () => {
    expect(charBigrams('借呗，还款')).toEqual(['借呗', '呗还', '还款']);
    expect(charBigrams('嗯')).toEqual(['嗯']);
    expect(charBigrams('？！')).toEqual([]);
    expect(charNgrams12('花呗')).toEqual(['花', '呗', '花呗']);
  });
});

describe('Analyzer over jieba', () => {
  it('segments common words (hand-checked against jieba precise mode)', () => {
    const a = new Analyzer(jiebaSegmenter);
    expect(a.tokens('我想查询一下账单')).toEqual(['我', '想', '查询', '一下', '账单']);
    // jieba's own dictionary does not know the product name and splits it.
    expect(a.tokens('花呗怎么还款？')).toEqual(['花', '呗', '怎么', '还款']);
  });

  it('keeps the domain dictionary whole, longest match first', () => {
    const a = new Analyzer(jiebaSegmenter, { dictionary: ['花呗', '蚂蚁花呗', '借呗'] });
    expect(a.tokens('花呗怎么还款？')).toEqual(['花呗', '怎么', '还款']);
    expect(a.tokens('蚂蚁花呗和借呗')).toEqual(['蚂蚁花呗', '和', '借呗']);
    expect(a.tokens('ＡＢＣ花呗')).toEqual(['abc', '花呗']);
  });

  it('maps synonyms to the first word of their group', () => {
    const a = new Analyzer(jiebaSegmenter, {
      dictionary: ['花呗'],
      synonyms: [['还款', '还钱']],
    });
    expect(a.tokens('花呗怎么还钱')).toEqual(['花呗', '怎么', '还款']);
  });

  it('answers empty, punctuation-only, control-character and very long texts without failing', () => {
    const a = new Analyzer(jiebaSegmenter, { dictionary: ['花呗'] });
    expect(a.tokens('')).toEqual([]);
    expect(a.tokens('？？！！。。')).toEqual([]);
    expect(a.tokens('\u0000\u0001花呗\u001f')).toEqual(['花呗']);
    const long = '花呗还款'.repeat(500);
    expect(a.tokens(long)).toHaveLength(1000);
  });
});
