/**
 * The handful of errors a function may answer with. Each has a stable code (typings/api.ts)
 * and a message fit to show a person; anything else is logged and answered as INTERNAL.
 */
import type { ErrorCode, FieldIssue } from '../typings';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidInput = (issues: FieldIssue[]): AppError =>
  new AppError(
    'INVALID_INPUT',
    `请求参数有误：${issues
      .slice(0, 5)
      .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
      .join('; ')}`,
    issues,
  );

export const badRequest = (message: string): AppError => new AppError('BAD_REQUEST', message);
export const unauthenticated = (): AppError =>
  new AppError('UNAUTHENTICATED', '无法识别微信用户身份，请在微信中打开小程序后重试');
export const forbidden = (message: string): AppError => new AppError('FORBIDDEN', message);
export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message);
export const rateLimited = (message: string): AppError => new AppError('RATE_LIMITED', message);
export const unavailable = (message = '服务暂时不可用，请稍后重试'): AppError =>
  new AppError('UNAVAILABLE', message);
