/**
 * Counts the named taps of whatever uses it (services/features.ts): at definition time its
 * definitionFilter wraps the component's methods, so a handler bound to an element carrying
 * `data-feature` sends that feature's `tap` before it runs. Behaviors that bring it along
 * (`measured`, hence `loadable`) pass the component's definition on to it.
 */
import { withTaps } from '../services/features';

type Fields = { methods?: Record<string, unknown> };

/** Wraps the definition's methods; for behaviors that include `tappable` (their definitionFilter). */
export function countTaps(defFields: Fields): void {
  if (defFields.methods) defFields.methods = withTaps(defFields.methods);
}

/** Runs the included behaviors' filters on the definition (WeChat calls only the direct one). */
export function passOn(
  defFields: Fields,
  filters?: ReadonlyArray<((d: Fields) => void) | undefined>,
): void {
  for (const f of filters ?? []) f?.(defFields);
}

export const tappable = Behavior({
  definitionFilter(defFields: Fields) {
    countTaps(defFields);
  },
});
