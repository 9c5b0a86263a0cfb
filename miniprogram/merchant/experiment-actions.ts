/** Starting and stopping an experiment: the confirmation both experiment pages ask before either. */
import { confirmModal } from '../services/confirm';

export type ExperimentChange = 'experiment.start' | 'experiment.stop';

const CONFIRM: Record<
  ExperimentChange,
  { title: string; content: string; confirmText: string; done: string }
> = {
  'experiment.start': {
    title: '开始实验',
    content: '开始后将按设定的流量比例给用户分组，停止后不能再次开始。确定开始吗？',
    confirmText: '开始',
    done: '实验已开始',
  },
  'experiment.stop': {
    title: '停止实验',
    content: '停止后用户回到默认设置，实验不能再次开始，结果保留。确定停止吗？',
    confirmText: '停止',
    done: '实验已停止',
  },
};

/** wx.showModal as a promise of "confirmed". */
export function confirmChange(action: ExperimentChange): Promise<boolean> {
  const { title, content, confirmText } = CONFIRM[action];
  return confirmModal({
    title,
    content,
    confirmText,
    confirmColor: action === 'experiment.stop' ? '#ee0a24' : '#1989fa',
  });
}

export const doneText = (action: ExperimentChange): string => CONFIRM[action].done;

/** A refusal (layer full, changed by someone else…) shown as the server words it. */
export function showRefusal(message: string): void {
  wx.showModal({ title: '操作失败', content: message, showCancel: false });
}
