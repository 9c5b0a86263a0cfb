/**
 * 词典与同义词 (智能客服): the merchant's own words for its FAQ — dictionary words the segmenter
 * keeps whole (product names) and synonym groups, each word read as its group's first — saved
 * whole on the revision loaded (the server's CONFLICT asks for a reload; it names a bad word).
 */
import { callAction, getApi } from '../../../services/api';
import { toApiError } from '../../../services/api-error';
import { loadable } from '../../../behaviors/loadable';
import { groupsOf, groupsText, wordsOf, wordsText } from './view';

/** With `loadable`'s status (loading, ready, error) and errorMessage. */
interface DictionaryData {
  /** One word per line. */
  words: string;
  /** One group per line, words separated by spaces. */
  synonyms: string;
  revision: number;
  formError: string;
  saving: boolean;
}

type Ev<D = unknown> = WechatMiniprogram.BaseEvent & { detail: D };

type DictionaryMethods = {
  load(): Promise<void>;
  onWords(e: Ev<string>): void;
  onSynonyms(e: Ev<string>): void;
  onSave(): Promise<void>;
};

Component<
  DictionaryData,
  Record<string, never>,
  DictionaryMethods,
  [typeof loadable],
  Record<string, never>,
  true
>({
  behaviors: [loadable],
  data: {
    words: '',
    synonyms: '',
    revision: 0,
    formError: '',
    saving: false,
  },

  methods: {
    async load() {
      try {
        const res = await callAction('support', { action: 'dictionary.get' });
        this.setData({
          status: 'ready',
          words: wordsText(res.dictionary.words),
          synonyms: groupsText(res.dictionary.synonyms),
          revision: res.dictionary.revision,
          formError: '',
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    onWords(e) {
      this.setData({ words: e.detail, formError: '' });
    },

    onSynonyms(e) {
      this.setData({ synonyms: e.detail, formError: '' });
    },

    async onSave() {
      if (this.data.saving) return;
      this.setData({ saving: true, formError: '' });
      try {
        const res = await getApi().call('support', {
          action: 'dictionary.save',
          dictionary: {
            words: wordsOf(this.data.words),
            synonyms: groupsOf(this.data.synonyms),
            revision: this.data.revision,
          },
        });
        if (res.action !== 'dictionary.save') throw new Error('unexpected answer');
        this.setData({
          saving: false,
          words: wordsText(res.dictionary.words),
          synonyms: groupsText(res.dictionary.synonyms),
          revision: res.dictionary.revision,
        });
        wx.showToast({ title: '已保存', icon: 'success' });
      } catch (err) {
        this.setData({ saving: false, formError: toApiError(err).message });
      }
    },
  },
});
