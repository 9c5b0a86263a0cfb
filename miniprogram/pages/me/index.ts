/**
 * The Me page: the interest profile the server holds (`account` profile.get), and the user's
 * privacy controls — personalised recommendations, stopping and resuming collection (shown as the
 * server records it: re-read after a withdrawal and an erasure), export, erasure, and the full
 * privacy guide (wx.openPrivacyContract).
 * Written with Component() so it runs unchanged in miniprogram-simulate.
 */
import type { AccountResponse, ErasureProgress, ProfileView } from '../../../typings';
import {
  CONSENT_RECORDED_KEY,
  PRIVACY_NOTICE_VERSION,
  consentRecorder,
  getTracker,
} from '../../services/analytics';
import { callAction, getApi } from '../../services/api';
import { ApiError, toApiError } from '../../services/api-error';
import { markTab } from '../../services/tab-bar';
import { loadable } from '../../behaviors/loadable';
import { confirmModal } from '../../services/confirm';
import { isCollecting, syncConsent } from '../../services/consent';
import { markFeedStale } from '../../services/feed-refresh';
import { clearFeedCache } from '../../services/feed-cache';
import {
  ExportFileError,
  exportDocument,
  exportFileName,
  lastExport,
  rememberExport,
  writeExportFile,
} from '../../services/export-file';
import { addExportPage, countViews, erasureText, exportSummary, interestViews } from './view';
import type { CountView, InterestView } from './view';

/** How often erase.status is asked while an erasure runs. */
export const ERASE_POLL_MS = 1000;
/** An export stops after this many pages rather than loop on a server that never ends the cursor. */
const MAX_EXPORT_PAGES = 500;

/** With `loadable`'s status (loading, ready, error) and errorMessage. */
interface MeData {
  interests: InterestView[];
  counts: CountView[];
  personalized: boolean;
  savingPersonalized: boolean;
  collecting: boolean;
  savingCollecting: boolean;
  exporting: boolean;
  exportSummary: CountView[];
  exportError: string;
  /**
   * The export file's name once it is written ('' when writing failed: copying still works); its
   * path is kept once, with the export (rememberExport), not here as well.
   */
  exportFileName: string;
  erasing: boolean;
  erasureText: string;
  erasureError: string;
  noticeVersion: string;
  /** The buyer segment for the 我的消费 section (null: none yet). */
  payments: ProfileView['payments'] | null;
  purchase: ProfileView['purchase'] | null;
}

/** van-switch's change event: the new value is the detail itself. */
type SwitchChange = WechatMiniprogram.BaseEvent & { detail: boolean };

type MeMethods = {
  onLoad(): Promise<void>;
  onShow(): void;
  load(): Promise<void>;
  onPersonalizedChange(e: SwitchChange): Promise<void>;
  onCollectingChange(e: SwitchChange): Promise<void>;
  onExport(): Promise<void>;
  onCopyExport(): void;
  onShareExport(): void;
  onViewExport(): void;
  onErase(): Promise<void>;
  runErase(): Promise<void>;
  refreshConsent(): Promise<void>;
  onPrivacyContract(): void;
};

interface MeInstance {
  /** The last complete export, kept off `data` (it can be large) until the user copies it. */
  exported: Record<string, Record<string, unknown>[]> | null;
  /** Set when the page goes away, so a running poll stops. */
  gone: boolean;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether WeChat's privacy authorization is in place, asking with its popup when it is needed
 * (base libraries without the privacy API have none to ask for).
 */
function privacyAuthorized(): Promise<boolean> {
  if (typeof wx.getPrivacySetting !== 'function') return Promise.resolve(true);
  return new Promise((resolve) => {
    wx.getPrivacySetting({
      success: (res) => {
        if (!res.needAuthorization) resolve(true);
        else
          wx.requirePrivacyAuthorize({ success: () => resolve(true), fail: () => resolve(false) });
      },
      fail: () => resolve(false),
    });
  });
}

/** An erase answer's progress; none after a start means the server lost it, which we cannot poll. */
function progressOf(res: AccountResponse): ErasureProgress {
  if ('erasure' in res && res.erasure) return res.erasure;
  throw new ApiError('BAD_RESPONSE', '删除状态未知，请稍后重试');
}

Component<MeData, Record<string, never>, MeMethods, [typeof loadable], MeInstance, true>({
  behaviors: [loadable],

  data: {
    interests: [],
    counts: [],
    personalized: true,
    savingPersonalized: false,
    collecting: true,
    savingCollecting: false,
    exporting: false,
    exportSummary: [],
    exportError: '',
    exportFileName: '',
    erasing: false,
    erasureText: '',
    erasureError: '',
    noticeVersion: PRIVACY_NOTICE_VERSION,
    payments: null,
    purchase: null,
  },

  lifetimes: {
    created() {
      this.exported = null;
      this.gone = false;
    },
    detached() {
      this.gone = true;
    },
  },

  methods: {
    async onLoad() {
      // What this device does: kept in step with the server's record (services/consent.ts).
      this.setData({ collecting: isCollecting(wx) });
      await this.load();
    },

    onShow() {
      markTab(this, '/pages/me/index');
    },

    async load() {
      try {
        const res = await callAction('account', { action: 'profile.get' });
        const { profile } = res;
        this.setData({
          status: 'ready',
          interests: interestViews(profile.interests),
          counts: countViews(profile.eventCounts),
          personalized: profile.personalized,
          payments: profile.payments ?? null,
          purchase: profile.purchase ?? null,
        });
      } catch (err) {
        this.showFailure(err);
      }
    },

    /** Shows the server's answer, not the tap: on failure the switch goes back and says why. */
    async onPersonalizedChange(e) {
      const enabled = e.detail;
      const before = this.data.personalized;
      this.setData({ personalized: enabled, savingPersonalized: true });
      try {
        const res = await getApi().call('account', { action: 'personalization.set', enabled });
        const personalized =
          res.action === 'personalization.set' ? res.consent.personalized : enabled;
        this.setData({ personalized, savingPersonalized: false });
        if (personalized !== before) markFeedStale(); // the feed's cards were ranked the other way
      } catch (err) {
        this.setData({ personalized: before, savingPersonalized: false });
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
    },

    /**
     * Off: the tracker stops at once (and forgets its queue), the person is asked whether to
     * delete what was collected (withdrawal erases by default, PIPL art. 47; 保留 keeps the history
     * under the retention rules), then the refusal is recorded on the server, which starts the
     * erasure unless kept; the page then follows it as 删除我的数据 does. On: WeChat's privacy
     * authorization first (its popup if the person has not agreed or refused it), then the
     * consent is recorded, and the tracker resumes only once the server has it, as at launch.
     * Either way the switch ends showing the server's record.
     */
    async onCollectingChange(e) {
      const granted = e.detail;
      const record = consentRecorder(getApi());
      this.setData({ savingCollecting: true });
      let erase = false;
      if (!granted) {
        getTracker().setConsent(false);
        this.setData({ collecting: false });
        erase = await confirmModal({
          title: '停止收集',
          content:
            '已停止收集。是否同时删除我们已保存的你的行为记录与兴趣画像？删除后无法恢复；选择“保留”则仅停止收集和使用。',
          confirmText: '删除',
          confirmColor: '#ee0a24',
        });
      }
      try {
        if (granted && !(await privacyAuthorized())) {
          wx.showToast({ title: '需要先同意隐私保护指引，才能开启收集', icon: 'none' });
        } else {
          await record(granted, granted ? undefined : !erase);
          if (!granted && erase) {
            this.setData({ savingCollecting: false });
            await this.runErase(); // erase.start continues the erasure the withdrawal started
            return;
          }
          if (granted) {
            wx.setStorageSync(CONSENT_RECORDED_KEY, PRIVACY_NOTICE_VERSION);
            getTracker().setConsent(true);
          }
        }
      } catch (err) {
        // Collection is already off on this device either way; only "turn on" depends on the server.
        wx.showToast({ title: toApiError(err).message, icon: 'none' });
      }
      await this.refreshConsent();
      this.setData({ savingCollecting: false });
    },

    /** The server's record, applied to this device and shown; unreadable, the device's own state is shown. */
    async refreshConsent() {
      try {
        const { collecting, personalized } = await syncConsent(getApi(), getTracker(), wx);
        this.setData({ collecting, personalized });
      } catch {
        this.setData({ collecting: isCollecting(wx) });
      }
    },

    onPrivacyContract() {
      wx.openPrivacyContract({
        fail: () => wx.showToast({ title: '暂时无法打开隐私保护指引，请稍后再试', icon: 'none' }),
      });
    },

    /**
     * Pages through export.page until the cursor ends, shows what came back per collection, and
     * writes it as a file the user can send to a chat (or read on the summary page).
     */
    async onExport() {
      if (this.data.exporting) return;
      this.setData({
        exporting: true,
        exportError: '',
        exportSummary: [],
        exportFileName: '',
      });
      const data: Record<string, Record<string, unknown>[]> = {};
      try {
        let cursor: string | undefined;
        for (let pages = 0; ; pages++) {
          if (pages >= MAX_EXPORT_PAGES) throw new Error('export never ended');
          const res = await getApi().call(
            'account',
            cursor ? { action: 'export.page', cursor } : { action: 'export.page' },
          );
          if (res.action !== 'export.page') throw new Error('unexpected answer');
          addExportPage(data, res.page);
          if (!res.page.cursor) break;
          cursor = res.page.cursor;
        }
        this.exported = data;
        const at = new Date();
        const doc = exportDocument(data, at);
        const fileName = exportFileName(at);
        let filePath = '';
        let fileError = '';
        try {
          filePath = writeExportFile(doc, fileName, wx);
        } catch (err) {
          // The copy still reaches the user through the clipboard and the summary page.
          fileError = err instanceof ExportFileError ? err.message : '导出文件保存失败，请重试';
        }
        rememberExport({ doc, filePath, fileName });
        this.setData({
          exporting: false,
          exportSummary: exportSummary(data),
          exportFileName: filePath ? fileName : '',
          exportError: fileError,
        });
      } catch (err) {
        this.setData({ exporting: false, exportError: toApiError(err).message });
      }
    },

    onCopyExport() {
      if (!this.exported) return;
      wx.setClipboardData({ data: JSON.stringify(this.exported, null, 2) });
    },

    /** Sends the export file to a chat (the user picks which); a cancel is no error. */
    onShareExport() {
      // The file's path is kept once, with the export (rememberExport); page data has only its name.
      const copy = lastExport();
      if (!copy?.filePath) return;
      wx.shareFileMessage({
        filePath: copy.filePath,
        fileName: copy.fileName,
        fail: (err: WechatMiniprogram.GeneralCallbackResult) => {
          if (!/cancel/i.test(err.errMsg))
            wx.showToast({ title: '发送失败，可先复制数据', icon: 'none' });
        },
      });
    },

    onViewExport() {
      wx.navigateTo({ url: '/pages/export/index' });
    },

    async onErase() {
      if (this.data.erasing) return;
      const ok = await confirmModal({
        title: '删除我的数据',
        content: '将删除我们保存的你的全部行为记录与兴趣画像，且无法恢复。确定删除吗？',
        confirmText: '删除',
        confirmColor: '#ee0a24',
      });
      if (ok) await this.runErase();
    },

    /** erase.start (repeatable: it continues a started erasure), then erase.status until done. */
    async runErase() {
      this.setData({ erasing: true, erasureError: '', erasureText: '正在删除…' });
      try {
        const started = await getApi().call('account', { action: 'erase.start' });
        let progress = progressOf(started);
        while (progress.status !== 'done') {
          this.setData({ erasureText: erasureText(progress) });
          await wait(ERASE_POLL_MS);
          if (this.gone) return;
          progress = progressOf(await getApi().call('account', { action: 'erase.status' }));
        }
        if (this.gone) return;
        this.exported = null;
        rememberExport(null);
        // The offline feed names slates the erasure removed, ranked from a profile that is gone.
        clearFeedCache(wx);
        this.setData({
          erasing: false,
          erasureText: erasureText(progress),
          exportSummary: [],
          exportFileName: '',
        });
        await this.load();
        // The erasure removed the consent record too: collection stays off until turned on again.
        await this.refreshConsent();
      } catch (err) {
        this.setData({ erasing: false, erasureText: '', erasureError: toApiError(err).message });
      }
    },
  },
});
