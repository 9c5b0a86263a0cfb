/**
 * 导出内容: a readable summary of the user's last data export (issue 20, item 5) — each stored
 * collection under its Chinese name with its count and its first records as "字段：值" lines —
 * and the export file sent to a chat. Opened from the Me page after an export; opened without
 * one (e.g. after a restart) it says where to export.
 */
import { lastExport } from '../../services/export-file';
import { measured } from '../../behaviors/measured';
import { sectionViews } from './view';
import type { SectionView } from './view';

interface ExportData {
  empty: boolean;
  exportedAt: string;
  fileName: string;
  hasFile: boolean;
  sections: SectionView[];
  total: number;
}

type ExportMethods = {
  onLoad(): void;
  onShareFile(): void;
  onBack(): void;
};

Component<ExportData, Record<string, never>, ExportMethods, [typeof measured]>({
  behaviors: [measured],

  data: {
    empty: true,
    exportedAt: '',
    fileName: '',
    hasFile: false,
    sections: [],
    total: 0,
  },

  methods: {
    onLoad() {
      const copy = lastExport();
      if (!copy) {
        this.setData({ empty: true });
        return;
      }
      const sections = sectionViews(copy.doc);
      this.setData({
        empty: false,
        exportedAt: copy.doc.导出时间,
        fileName: copy.fileName,
        hasFile: copy.filePath !== '',
        sections,
        total: sections.reduce((n, s) => n + s.count, 0),
      });
    },

    onShareFile() {
      const copy = lastExport();
      if (!copy || !copy.filePath) return;
      wx.shareFileMessage({
        filePath: copy.filePath,
        fileName: copy.fileName,
        fail: (err: WechatMiniprogram.GeneralCallbackResult) => {
          if (!/cancel/i.test(err.errMsg))
            wx.showToast({ title: '发送失败，请重试', icon: 'none' });
        },
      });
    },

    onBack() {
      wx.navigateBack({ delta: 1 });
    },
  },
});
