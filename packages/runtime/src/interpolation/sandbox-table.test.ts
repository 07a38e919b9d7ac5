/**
 * Sandbox: dunder and private attributes.
 * Expected values are what the CDK's JinjaInterpolation produces for each row (rows marked `note`
 * are deliberate differences).
 */
import { describe } from 'vitest';
import { runCases, type TemplateCase } from './__tests__/run-cases.js';

const cases: TemplateCase[] = [
  {"t": "{{ x.__class__ }}", "ctx": {"x": "a"}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ x.__class__.__mro__ }}", "ctx": {"x": "a"}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ x.__dict__ }}", "ctx": {"x": {}}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ x['__class__'] }}", "ctx": {"x": "a"}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ ''.__class__ }}", "ctx": {}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ x.__init__ }}", "ctx": {"x": {}}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ config.__class__ }}", "ctx": {"config": {}}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ [].__class__ }}", "ctx": {}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
  {"t": "{{ x._private }}", "ctx": {"x": {"_private": 1}}, "eval": 1, "render": "1"},
  {"t": "{{ x['__proto__'] }}", "ctx": {"x": {}}, "evalErr": "INTERP_SANDBOX", "renderErr": "INTERP_SANDBOX", "note": "Jinja yields an unsafe Undefined; we refuse outright"},
];

describe('sandbox-table', () => runCases(cases));
