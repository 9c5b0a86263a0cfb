/**
 * The user's data export as a file they own (issue 20, item 5; PIPL art. 45, the right to a copy):
 * the document with Chinese section names, written to the Mini Program's user data folder, sent to
 * a chat with wx.shareFileMessage, and kept in memory for the readable summary page
 * (pages/export). Only the newest export file is kept on the phone: each one replaces the last.
 */
import { exportSectionLabel } from './export-labels';

/** One section of the file: a stored collection of the user's data, under its Chinese name. */
export interface ExportSection {
  名称: string;
  数据表: string;
  条数: number;
  记录: Record<string, unknown>[];
}

/** The file's content. Field names inside records stay as stored, so the copy is exact. */
export interface ExportDocument {
  说明: string;
  导出时间: string;
  部分: ExportSection[];
}

export const EXPORT_NOTE =
  '这是我们保存的你的全部个人数据的副本（按数据表分部分，每条记录与服务器保存的一致）。其他用户的标识已隐去。';

/** The storage key holding the path of the last export file, so the next export replaces it. */
export const LAST_EXPORT_KEY = 'rs_last_export_file';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2026-12-06 13:05:09" in the phone's time zone. */
export function localTime(at: Date): string {
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`
  );
}

/** "我的数据-20261206-130509.json": sortable, and readable in a chat's file list. */
export function exportFileName(at: Date): string {
  return (
    `我的数据-${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-` +
    `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}.json`
  );
}

/** The export's collections, in the order the server sent them, as the file's sections. */
export function exportDocument(
  data: Record<string, Record<string, unknown>[]>,
  at: Date,
): ExportDocument {
  return {
    说明: EXPORT_NOTE,
    导出时间: localTime(at),
    部分: Object.entries(data).map(([collection, records]) => ({
      名称: exportSectionLabel(collection),
      数据表: collection,
      条数: records.length,
      记录: records,
    })),
  };
}

/** The wx surface the writer uses. */
export type ExportFileWx = Pick<
  WechatMiniprogram.Wx,
  'getFileSystemManager' | 'getStorageSync' | 'setStorageSync'
> & { env: { USER_DATA_PATH: string } };

/** Thrown (with a message a person can act on) when the phone cannot store the file. */
export class ExportFileError extends Error {}

/**
 * Writes the document into the user data folder and answers its path; the previous export file
 * is removed first so repeated exports do not fill the phone's 200 MB of Mini Program files.
 */
export function writeExportFile(doc: ExportDocument, name: string, wxApi: ExportFileWx): string {
  const fs = wxApi.getFileSystemManager();
  const previous = wxApi.getStorageSync(LAST_EXPORT_KEY);
  if (typeof previous === 'string' && previous) {
    try {
      fs.unlinkSync(previous);
    } catch {
      // already gone (cleared by WeChat or the user): nothing to remove
    }
  }
  const path = `${wxApi.env.USER_DATA_PATH}/${name}`;
  try {
    fs.writeFileSync(path, JSON.stringify(doc, null, 2), 'utf8');
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new ExportFileError(
      /exceeded|storage|space/i.test(msg)
        ? '手机上小程序的存储空间不足，无法保存导出文件，请清理后重试'
        : '导出文件保存失败，请重试',
    );
  }
  wxApi.setStorageSync(LAST_EXPORT_KEY, path);
  return path;
}

/** The last export of this session, for the summary page (kept off page data: it can be large). */
export interface ExportedCopy {
  doc: ExportDocument;
  filePath: string;
  fileName: string;
}

let last: ExportedCopy | null = null;

export function rememberExport(copy: ExportedCopy | null): void {
  last = copy;
}

export function lastExport(): ExportedCopy | null {
  return last;
}
