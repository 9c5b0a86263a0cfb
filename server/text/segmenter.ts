/**
 * The production word segmenter: jieba (jieba-rs compiled to WebAssembly, the `jieba-wasm`
 * package), precise mode with HMM for unknown words. Loading it reads its 4 MB wasm file with
 * the dictionary inside, once per process (about 0.6 s), so it lives outside the pure engine,
 * which takes a Segmenter. The cloud build copies the wasm file next to each bundle using it.
 */
import { cut } from 'jieba-wasm';
import type { Segmenter } from '../engine/text/analyzer';

export const jiebaSegmenter: Segmenter = (text) => (text ? cut(text, true) : []);
