/**
 * wx storage that keeps what is written (simulate's wx storage keeps nothing): spies on the three
 * sync calls for the current test; jest.restoreAllMocks() puts simulate's back.
 */
export function memoryStorage(initial: Record<string, unknown> = {}): Map<string, unknown> {
  const store = new Map(Object.entries(initial));
  jest
    .spyOn(wx, 'getStorageSync')
    .mockImplementation((k: string) => (store.has(k) ? store.get(k) : ''));
  jest
    .spyOn(wx, 'setStorageSync')
    .mockImplementation((k: string, v: unknown) => void store.set(k, v));
  jest.spyOn(wx, 'removeStorageSync').mockImplementation((k: string) => void store.delete(k));
  return store;
}
