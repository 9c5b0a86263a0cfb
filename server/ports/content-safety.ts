/**
 * Content safety (not storage): WeChat's text check of what a user posts (security.msgSecCheck,
 * version 2), or the local host's stand-in. WeChat requires a Mini Program that publishes user
 * text to run it, with the author's openid and the scene.
 */

/** msgSecCheck v2's scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type SafetyScene = 1 | 2 | 3 | 4;

/** pass: publish; review: a person should look first; risky: do not publish. */
export type SafetyVerdict = 'pass' | 'review' | 'risky';

export interface ContentSafety {
  /** The verdict on `text` written by `openid`; rejects when the check could not be made. */
  check(text: string, openid: string, scene: SafetyScene): Promise<SafetyVerdict>;
}
