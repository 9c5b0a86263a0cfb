/** What the export summary page shows of an export document: pure, so the page only calls setData. */
import type { ExportDocument } from '../../services/export-file';
import { localTime } from '../../services/export-file';

/** Records shown per section; the rest is in the file. */
export const SHOWN_PER_SECTION = 5;
/** A value longer than this is cut with "…". */
const MAX_VALUE_CHARS = 60;

export interface RecordView {
  key: string;
  lines: string[];
}

export interface SectionView {
  key: string;
  title: string;
  count: number;
  records: RecordView[];
  /** "还有 12 条，见导出文件" or ''. */
  more: string;
}

/** Epoch milliseconds from 2001 to 2100 in a time-like field: shown as a local date and time. */
function isTimeField(key: string, v: unknown): v is number {
  return (
    typeof v === 'number' &&
    /(^at|At|Time|time|_at|ts)$/.test(key) &&
    v > 978_307_200_000 &&
    v < 4_102_444_800_000
  );
}

function short(s: string): string {
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
}

/** One record as "字段：值" lines, in its own field order. */
export function recordLines(record: Record<string, unknown>): string[] {
  return Object.entries(record).map(([k, v]) => {
    if (v === null || v === undefined) return `${k}：（空）`;
    if (isTimeField(k, v)) return `${k}：${localTime(new Date(v))}`;
    return `${k}：${short(typeof v === 'object' ? JSON.stringify(v) : String(v))}`;
  });
}

export function sectionViews(doc: ExportDocument): SectionView[] {
  return doc.部分.map((s, i) => ({
    key: `${i}-${s.数据表}`,
    title: s.名称,
    count: s.条数,
    records: s.记录
      .slice(0, SHOWN_PER_SECTION)
      .map((r, j) => ({ key: String(j), lines: recordLines(r) })),
    more: s.条数 > SHOWN_PER_SECTION ? `还有 ${s.条数 - SHOWN_PER_SECTION} 条，见导出文件` : '',
  }));
}
