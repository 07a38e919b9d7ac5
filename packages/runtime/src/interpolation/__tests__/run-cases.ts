/**
 * Table-driven template cases: each row is a template, a context and what the CDK produces for it
 * (JinjaInterpolation.eval's result, and the rendered text), or the error code we raise.
 */
import { expect, it } from 'vitest';
import { evalTemplate, renderString, withClock, type Context, type EvalOptions } from '../index.js';

export interface TemplateCase {
  t: string;
  /** Context; FIXTURE when omitted. */
  ctx?: Context;
  opts?: EvalOptions;
  /** evalTemplate's result (JSON-friendly). */
  eval?: unknown;
  evalErr?: string;
  /** renderString's text. */
  render?: string;
  renderErr?: string;
  /** Why we knowingly differ from the CDK here. */
  note?: string;
}

export const FIXTURE: Context = {
  config: {
    start_date: '2021-01-01',
    api_key: 'k',
    domain: 'eu',
    n: 5,
    is_sandbox: false,
    region: 'us',
    list: ['x', 'y'],
    creds: { auth_type: 'oauth', client_id: 'cid', client_secret: 'sec' },
    empty_list: [],
    empty_dict: {},
    num_str: '42',
    float_str: '3.75',
    pct: '12.5%',
    csv: 'a,b,,c',
    spaced: '  pad  ',
    zero: 0,
  },
  record: {
    id: 7,
    name: 'Widget',
    price: '12.50',
    tags: ['a', 'b', 'c'],
    nested: { x: { y: 'deep' } },
    empty: '',
    zero: 0,
    none: null,
    flag: true,
    items: [
      { id: 1, v: 'one' },
      { id: 2, v: 'two' },
      { id: 3, v: null },
    ],
    big: 1234567,
    neg: -3,
    f: 2.5,
    dt: '2024-01-15T10:20:30Z',
  },
  parameters: { name: 'users', path: '/users' },
};

/** 2021-09-01T00:00:00Z, the instant the CDK's macro tests freeze time at. */
export const FIXED_NOW = Date.UTC(2021, 8, 1);

function fresh(ctx: Context | undefined): Context {
  return withClock(structuredClone(ctx ?? FIXTURE), () => FIXED_NOW);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code ?? `non-RuntimeError: ${(e as Error).message}`;
  }
  return 'no error';
}

export function runCases(cases: TemplateCase[]): void {
  cases.forEach((c, i) => {
    const name = `#${i} ${JSON.stringify(c.t).slice(0, 90)}${c.ctx ? ' (ctx)' : ''}`;
    if ('eval' in c || c.evalErr) {
      it(`eval ${name}`, () => {
        if (c.evalErr) expect(codeOf(() => evalTemplate(c.t, fresh(c.ctx), c.opts))).toBe(c.evalErr);
        else expect(evalTemplate(c.t, fresh(c.ctx), c.opts)).toEqual(c.eval);
      });
    }
    if ('render' in c || c.renderErr) {
      it(`render ${name}`, () => {
        if (c.renderErr) expect(codeOf(() => renderString(c.t, fresh(c.ctx)))).toBe(c.renderErr);
        else expect(renderString(c.t, fresh(c.ctx))).toBe(c.render);
      });
    }
  });
}
