/** wx.showModal answered by the person, 确定 (confirm) or 取消, for page tests of confirmations. */

/** A showModal implementation that answers `confirm` (read at each call). */
export function modalAnswer(
  confirm: () => boolean,
): (o: WechatMiniprogram.ShowModalOption) => never {
  return (o) =>
    void o.success?.({
      confirm: confirm(),
      cancel: !confirm(),
      content: '',
      errMsg: 'showModal:ok',
    }) as never;
}

/** Answers the next wx.showModal call; returns the spy (one per test file, shared by later answers). */
export function answerNextModal(confirm: boolean): jest.SpyInstance {
  return jest.spyOn(wx, 'showModal').mockImplementationOnce(modalAnswer(() => confirm));
}
