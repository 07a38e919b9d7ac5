/** Testing values: a config object built from the spec's form; kept in memory only. */
import type { InputForm } from './form.js';

export type TestingValues = Record<string, string>;

/** Turn the text fields of the testing-values form into a typed connector config. */
export function toConfig(inputs: InputForm[], values: TestingValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const input of inputs) {
    const raw = values[input.key];
    const text = raw === undefined || raw === '' ? input.default : raw;
    if (text === '' || text === undefined) continue;
    switch (input.type) {
      case 'integer':
      case 'number': {
        const n = Number(text);
        config[input.key] = Number.isFinite(n) ? n : text;
        break;
      }
      case 'boolean':
        config[input.key] = text === 'true';
        break;
      case 'array':
      case 'object':
        try {
          config[input.key] = JSON.parse(text);
        } catch {
          config[input.key] = input.type === 'array' ? text.split(',').map((s) => s.trim()).filter(Boolean) : text;
        }
        break;
      default:
        config[input.key] = text;
    }
  }
  return config;
}

/** Inputs that are required but have neither a testing value nor a default. */
export function missingRequired(inputs: InputForm[], values: TestingValues): string[] {
  return inputs.filter((i) => i.required && !values[i.key] && i.default === '').map((i) => i.key);
}
