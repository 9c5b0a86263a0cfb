/** wx.showModal as a promise of "confirmed" (a failed modal counts as cancelled). */
export function confirmModal(options: {
  title: string;
  content: string;
  confirmText: string;
  confirmColor: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      ...options,
      success: (res) => resolve(res.confirm),
      fail: () => resolve(false),
    });
  });
}
