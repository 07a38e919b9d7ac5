// A config made from a connector spec: each property's examples, default or enum, or a value of
// its type and pattern. Shared by check-catalog.mjs and diff-against-cdk.mjs.

/** A value for a spec property: its examples, default, enum, or something of its type and pattern. */
export function sample(schema, key = '') {
  if (!schema || typeof schema !== 'object') return 'x';
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (schema.const !== undefined) return schema.const;
  const candidates = [
    ...(Array.isArray(schema.examples) ? schema.examples : schema.examples !== undefined ? [schema.examples] : []),
    ...(schema.default !== undefined ? [schema.default] : []),
    ...(Array.isArray(schema.enum) ? schema.enum : []),
  ];
  for (const candidate of candidates) {
    const value = coerce(candidate, type, schema);
    if (value !== undefined) return value;
  }
  const branches = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(branches) && branches.length > 0) return sample({ type: 'object', ...branches[0] }, key);
  switch (type) {
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return schema.items ? [sample(schema.items, key)] : [];
    case 'object': {
      const out = {};
      for (const [name, sub] of Object.entries(schema.properties ?? {})) out[name] = sample(sub, name);
      return out;
    }
    default:
      return stringFor(schema, key);
  }
}

/** An example as the declared type wants it, or undefined when it does not fit. */
function coerce(value, type, schema) {
  if (type === 'array') {
    const items = Array.isArray(value) ? value : [value];
    return schema.items ? items.map((item) => coerce(item, schema.items.type, schema.items) ?? item) : items;
  }
  if (type === 'integer' || type === 'number') {
    const number = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  if (type === 'boolean') return typeof value === 'boolean' ? value : undefined;
  if (type === 'string') {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (schema.pattern && !safeTest(schema.pattern, text)) return undefined;
    // An example like 'YYYY-MM-DD' documents the format; it is not a value.
    if ((schema.format === 'date-time' || schema.format === 'date') && !/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
    return text;
  }
  return value;
}

function safeTest(pattern, text) {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

function stringFor(schema, key) {
  const pattern = schema.pattern;
  const guesses = [
    '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z', '2024-01-01', '01-01-2024', '01/01/2024 00:00',
    '2024-01-01 00:00:00', 'https://example.com', 'example.com', 'a@example.com', 'live_example', 'sk_live_abc123',
    'ABC123', 'example', '12345',
  ];
  if (pattern) {
    const match = guesses.find((guess) => safeTest(pattern, guess));
    if (match) return match;
  }
  if (schema.format === 'date-time') return '2024-01-01T00:00:00Z';
  if (schema.format === 'date' || /date/i.test(key)) return '2024-01-01';
  if (schema.format === 'uri' || /url|uri|domain|host/i.test(key)) return 'https://example.com';
  if (schema.format === 'email') return 'a@example.com';
  return 'example';
}
