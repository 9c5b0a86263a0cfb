/**
 * The deployment's scene (SCENE on the server) as the server last told it: `recommend` sends it
 * with a session's first page (appScene) and the feed passes it here. Kept in memory and on the
 * device, so a page the feed opens before that answer arrives (onboarding at first launch) waits
 * for it, and a later launch knows it at once.
 */
import type { AppSceneView } from '../../typings';
import type { ConsentStorage } from './consent';

export const APP_SCENE_KEY = 'rs_app_scene';
/** How long a page waits for the feed to tell the scene before doing without (onboarding: every category). */
export const SCENE_WAIT_MS = 5000;

let current: AppSceneView | null = null;
const listeners = new Set<(view: AppSceneView) => void>();

/** A stored copy, if it still has the shape of a scene view (storage outlives app versions). */
function stored(w: ConsentStorage): AppSceneView | null {
  const v = w.getStorageSync(APP_SCENE_KEY) as Partial<AppSceneView> | '';
  return v &&
    typeof v === 'object' &&
    typeof v.name === 'string' &&
    Array.isArray(v.channels) &&
    v.channels.every((c) => typeof c === 'string')
    ? (v as AppSceneView)
    : null;
}

/** What the server said (the feed calls it with each appScene); pages waiting for it are told. */
export function rememberScene(w: ConsentStorage, view: AppSceneView): void {
  current = view;
  try {
    w.setStorageSync(APP_SCENE_KEY, view);
  } catch {
    // Storage full: the scene is still known for this launch.
  }
  for (const listener of [...listeners]) listener(view);
}

/** The scene as last told (this launch, else an earlier one), or null when never told. */
export function knownScene(w: ConsentStorage): AppSceneView | null {
  return current ?? stored(w);
}

/** Calls `listener` with each scene the server tells from now on; answers the unsubscribe. */
export function onScene(listener: (view: AppSceneView) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Tests: a new launch. */
export function resetAppScene(): void {
  current = null;
  listeners.clear();
}
