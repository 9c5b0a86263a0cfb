export type * from './api';
export type * from './content';
export type * from './events';
export type * from './functions';
export type * from './ads';
export type * from './account';
export type * from './merchant';
export type * from './experiments';
