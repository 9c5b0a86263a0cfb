/**
 * The two Node globals the page tests use (jest provides them at run time). @types/node itself
 * cannot join this program: it and miniprogram-api-typings both declare `require` (TS2451).
 */
declare const __dirname: string;
interface Require {
  resolve(id: string): string;
}
