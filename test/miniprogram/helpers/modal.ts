/** wx.showModal answered by the person once, 确定 (confirm) or 取消, for page tests of confirmations. */

/** Answers the next wx.showModal call; returns the spy (one per test file, shared by later answers). */
export function answerNextModal(confirm: boolean): jest.SpyInstance {
  return jest.spyOn(wx, 'showModal').mockImplementationOnce(
    (o: WechatMiniprogram.ShowModalOption) =>
      void o.success?.({
        confirm,
        cancel: !confirm,
        content: '',
        errMsg: 'showModal:ok',
      }) as never,
  );
}
