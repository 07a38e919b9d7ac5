import { describe, expect, it } from 'vitest';
import { checkDatetimeFormat, checkDuration, checkUrlBase, COMPONENTS, componentSupport, initComponent, SLOTS } from './components.js';

describe('field checks shown beside the field', () => {
  it('accepts ISO 8601 durations and templates, names the bad value otherwise', () => {
    for (const ok of ['P1D', 'PT1S', 'P1Y2M', 'P2W', 'PT0.5S', 'P1DT12H', "{{ config['step'] }}"]) expect(checkDuration(ok), ok).toBeUndefined();
    for (const bad of ['1 day', 'P', 'PT', 'P1H', 'p1d', 'P1DT']) expect(checkDuration(bad), bad).toContain(`“${bad}” is not an ISO 8601 duration`);
  });

  it('wants a % directive in a datetime format', () => {
    expect(checkDatetimeFormat('%Y-%m-%d')).toBeUndefined();
    expect(checkDatetimeFormat('%s')).toBeUndefined();
    expect(checkDatetimeFormat("{{ config['fmt'] }}")).toBeUndefined();
    expect(checkDatetimeFormat('YYYY-MM-DD')).toContain('no % directive');
  });

  it('wants a scheme on the API base URL', () => {
    for (const ok of ['https://api.example.com/v1', 'http://127.0.0.1:8080', "{{ config['base_url'] }}", '']) expect(checkUrlBase(ok), ok).toBeUndefined();
    expect(checkUrlBase('api.example.com')).toContain('start it with https://');
    expect(checkUrlBase('https:// spaced')).toBeDefined();
  });

  it('puts the checks on the datetime cursor fields', () => {
    const fields = new Map(COMPONENTS.DatetimeBasedCursor!.fields.map((f) => [f.key, f]));
    expect(fields.get('step')!.validate!('1 day')).toBeDefined();
    expect(fields.get('cursor_granularity')!.validate!('PT1S')).toBeUndefined();
    expect(fields.get('datetime_format')!.validate!('iso')).toBeDefined();
  });
});

describe('a new datetime cursor', () => {
  it('starts from a user input written as a plain template, editable in the form', () => {
    const cursor = initComponent('DatetimeBasedCursor');
    expect(cursor.start_datetime).toBe("{{ config['start_date'] }}");
    expect(componentSupport(cursor, ['DatetimeBasedCursor']).editable).toBe(true);
  });
});

describe('authenticator forms', () => {
  // Every authenticator the runtime builds (Custom* aside) can be picked and starts complete.
  const runtimeAuthenticators = [
    'NoAuth', 'ApiKeyAuthenticator', 'BearerAuthenticator', 'BasicHttpAuthenticator', 'OAuthAuthenticator', 'JwtAuthenticator',
    'SessionTokenAuthenticator', 'SelectiveAuthenticator', 'RateLimitedMultipleTokenAuthenticator', 'LegacySessionTokenAuthenticator',
  ];

  it.each(runtimeAuthenticators)('%s has a form whose initial value has its required fields', (type) => {
    expect(SLOTS.authenticator).toContain(type);
    const desc = COMPONENTS[type];
    expect(desc, type).toBeDefined();
    const value = initComponent(type);
    expect(value.type).toBe(type);
    for (const field of desc!.fields.filter((f) => f.required)) expect(value, `${type}.${field.key}`).toHaveProperty(field.key);
  });
});
