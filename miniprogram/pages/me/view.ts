/** What the Me page shows, computed from the `account` answers: pure, so the page only calls setData. */
import type { ErasureProgress, ExportPage, ProfileView } from '../../../typings';
import { exportSectionLabel } from '../../services/export-labels';

export interface InterestView {
  key: string;
  /** "tag:户外" → "户外"; categories and tags both show their bare name. */
  label: string;
  kind: '分类' | '标签';
  /** Strength relative to the strongest interest, 1–100 (a bar width), so any score scale reads the same. */
  percent: number;
}

export interface CountView {
  type: string;
  label: string;
  count: number;
}

const EVENT_LABELS: Record<string, string> = {
  impression: '浏览曝光',
  click: '点击',
  like: '点赞',
  unlike: '取消点赞',
  comment: '评论',
  share: '分享',
  share_open: '打开分享',
  dwell: '阅读时长',
  hide: '不感兴趣',
  search: '搜索',
  order: '下单',
  pay: '支付',
  page_perf: '性能记录',
  set_data: '页面渲染记录',
  api_call: '请求耗时',
  app_error: '错误记录',
  tap: '功能点击',
};

export function interestViews(interests: ProfileView['interests']): InterestView[] {
  const positive = interests.filter((i) => i.score > 0);
  const max = Math.max(0, ...positive.map((i) => i.score));
  return positive.map((i) => {
    const cut = i.tag.indexOf(':');
    const prefix = cut > 0 ? i.tag.slice(0, cut) : '';
    return {
      key: i.tag,
      label: cut > 0 ? i.tag.slice(cut + 1) : i.tag,
      kind: prefix === 'cat' ? '分类' : '标签',
      percent: Math.max(1, Math.round((i.score / max) * 100)),
    };
  });
}

/** Non-zero counts, most first; unknown types keep their raw name rather than vanish. */
export function countViews(counts: ProfileView['eventCounts']): CountView[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([type, count]) => ({ type, label: EVENT_LABELS[type] ?? type, count }));
}

/** "已删除 3/7 项" while running; the page shows it under the delete button. */
export function erasureText(p: ErasureProgress): string {
  if (p.status === 'done') return '你的数据已全部删除';
  return `正在删除… 已完成 ${p.stepsDone}/${p.stepsTotal} 项`;
}

/** Accumulates export pages into { collection: records[] }. */
export function addExportPage(
  into: Record<string, Record<string, unknown>[]>,
  page: ExportPage,
): void {
  (into[page.collection] ??= []).push(...page.records);
}

export function exportSummary(data: Record<string, Record<string, unknown>[]>): CountView[] {
  return Object.entries(data).map(([collection, records]) => ({
    type: collection,
    label: exportSectionLabel(collection),
    count: records.length,
  }));
}
