/**
 * The demo world's item bodies (Markdown, zh-CN): a few readable paragraphs per item, made from
 * its title, category and tags by templates. Derived from the item alone (a hash of its id picks
 * the phrasings), so the world's random draws are unchanged and the same item always reads the same.
 */
import { createHash } from 'node:crypto';
import type { ContentItem } from '../../typings';

/** What a category's articles talk about, in words that fit after "关于…". */
const ANGLES: Record<string, string[]> = {
  美食: ['食材怎么挑', '火候和调味', '去哪家店吃', '一家人怎么吃得健康'],
  旅行: ['什么时候去', '路线怎么排', '住在哪里方便', '预算怎么控制'],
  科技: ['值不值得买', '日常怎么用', '有哪些坑', '和同类产品比怎样'],
  健康: ['每天做多少', '新手从哪开始', '哪些误区要避开', '怎么坚持下去'],
  教育: ['孩子怎么学', '家长怎么陪', '时间怎么安排', '效果怎么检验'],
  时尚: ['怎么搭配', '适合什么场合', '预算怎么分配', '怎么保养'],
  体育: ['怎么入门', '装备怎么选', '训练怎么安排', '受伤了怎么办'],
  财经: ['对钱包的影响', '普通人怎么应对', '风险在哪里', '长期怎么看'],
};
const DEFAULT_ANGLES = ['是什么', '为什么重要', '怎么做', '要注意什么'];

const OPENINGS = [
  '最近后台收到很多朋友的留言，问的都是同一个话题：{title}。今天就把我们整理的内容一次讲清楚。',
  '「{title}」这件事，说简单也简单，说难也难。下面是我们反复验证过的经验，供你参考。',
  '先说结论：{title}，关键在于方法。下面分几部分慢慢展开。',
];
const MIDDLES = [
  '关于**{angle}**，很多人一开始就想错了。与其追求一步到位，不如先从最小的一步做起，把「{tag}」这件事做扎实，再逐步调整。',
  '说到**{angle}**，我们的建议是多比较、多记录。把每一次的尝试写下来，一两周后回头看，你会发现「{tag}」的规律其实并不复杂。',
  '**{angle}**是大家问得最多的问题。没有放之四海而皆准的答案，但有几条原则：量力而行、循序渐进、及时复盘。和「{tag}」有关的选择，也是一样。',
];
const ENDINGS = [
  '以上就是这次的分享。如果你有不同的经验，欢迎在评论区留言，我们会挑选有代表性的问题继续解答。',
  '希望这些内容对你有帮助。觉得有用的话，点个赞，分享给同样关心「{tag}」的朋友吧。',
  '最后提醒一句：每个人的情况不同，文中的建议仅供参考，请结合自己的实际情况判断。',
];

function fill(t: string, words: Record<string, string>): string {
  return t.replace(/\{(\w+)\}/g, (_m, k: string) => words[k] ?? '');
}

/** The item's body: an opening, a short list of what it covers, two sections, a picture, a closing. */
export function demoBody(item: ContentItem): string {
  const h = createHash('sha256').update(item.id).digest();
  const pick = <T>(list: readonly T[], i: number): T => list[h[i] % list.length];
  const angles = ANGLES[item.category] ?? DEFAULT_ANGLES;
  const tag = item.tags[0] ?? item.category;
  const a1 = pick(angles, 0);
  const a2 = angles[(angles.indexOf(a1) + 1 + (h[1] % (angles.length - 1))) % angles.length];
  const words = { title: item.title, tag };
  return [
    fill(pick(OPENINGS, 2), words),
    `## 这篇文章讲什么`,
    [a1, a2, `和「${tag}」相关的常见问题`].map((x) => `- ${x}`).join('\n'),
    `## ${a1}`,
    fill(pick(MIDDLES, 3), { ...words, angle: a1 }),
    // The same picture host as the covers (allowed by BODY_IMAGE_HOSTS' default).
    `![${item.title}](https://picsum.photos/seed/${item.id}-body/640/400)`,
    `## ${a2}`,
    fill(pick(MIDDLES, 4), { ...words, angle: a2, tag: item.tags[1] ?? tag }),
    fill(pick(ENDINGS, 5), words),
  ].join('\n\n');
}
