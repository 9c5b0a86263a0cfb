/**
 * `support` (智能客服): ask a question of a FAQ (the platform's or a merchant's) and get the best
 * answers with their confidence (转人工 first when none is confident), give feedback once, and,
 * for a merchant's staff, edit, import and report on that merchant's FAQ. Identity only from
 * the WeChat context; the use cases are in server/support/. The editor's dictionary words and
 * synonyms (dictionary.get / dictionary.save) shape how that FAQ's questions are segmented.
 */
import type { SupportResponse } from '../../../typings';
import { defineFunction } from '../../runtime/function';
import { askAsCaller } from '../../support/ask';
import { deleteFaq, importFaq, listFaq, saveFaq } from '../../support/faq-admin';
import { feedback } from '../../support/feedback';
import { getDictionary, saveDictionary } from '../../support/dictionary';
import { supportReport } from '../../support/report';
import { supportInput } from './schema';

export default defineFunction({
  name: 'support',
  input: supportInput,
  // The first ask of a cold instance loads the segmenter (about 0.6 s) and builds the FAQ's index.
  cloud: { timeoutSeconds: 10 },
  async handle(req, ctx): Promise<SupportResponse> {
    switch (req.action) {
      case 'ask':
        return { action: req.action, ...(await askAsCaller(ctx, req)) };
      case 'feedback':
        await feedback(ctx, req.askId, req.verdict, req.faqId);
        return { action: req.action, recorded: true };
      case 'faq.list':
        return { action: req.action, entries: await listFaq(ctx) };
      case 'faq.save':
        return { action: req.action, entry: await saveFaq(ctx, req.entry) };
      case 'faq.delete':
        await deleteFaq(ctx, req.id);
        return { action: req.action, deleted: true };
      case 'faq.import':
        return { action: req.action, added: await importFaq(ctx, req.csv) };
      case 'report':
        return { action: req.action, report: await supportReport(ctx, req.days ?? 7) };
      case 'dictionary.get':
        return { action: req.action, dictionary: await getDictionary(ctx) };
      case 'dictionary.save':
        return { action: req.action, dictionary: await saveDictionary(ctx, req.dictionary) };
    }
  },
});
