/** The inputs of a config form, read from a JSON Schema spec by the Builder's user-input reader. */
import { type InputForm, readInputs } from '../../model/form.js';
import type { JsonSchema } from './workspace-api.js';

/** The spec's inputs in the spec's `order` (then as written), without the ones a caller fills itself (a destination's `type`). */
export function specInputs(spec: JsonSchema | null | undefined, skip: string[] = []): InputForm[] {
  if (!spec) return [];
  const properties = (spec.properties ?? {}) as Record<string, { order?: unknown }>;
  const orderOf = (key: string) => (typeof properties[key]?.order === 'number' ? (properties[key]!.order as number) : Number.MAX_SAFE_INTEGER);
  return readInputs({ spec: { connection_specification: spec } })
    .filter((input) => !skip.includes(input.key))
    .map((input, index) => ({ input, index }))
    .sort((a, b) => orderOf(a.input.key) - orderOf(b.input.key) || a.index - b.index)
    .map(({ input }) => input);
}

/** A label for a property without a title: `start_date` → `Start date`. */
export function humanized(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
