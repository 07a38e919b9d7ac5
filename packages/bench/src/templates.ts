/**
 * Micro-benchmark of template rendering, in-process, against the runtime's built interpolation
 * module: µs per evaluation of a simple and a complex template, both through renderString
 * (cache lookup + context checks + render, what the runtime does per use) and a precompiled
 * template's render().
 */
import { performance } from 'node:perf_hooks';
import { median } from './harness.js';

interface Interpolation {
  compileTemplate(source: string): { render(ctx: Record<string, unknown>): string };
  renderString(source: string, ctx: Record<string, unknown>): string;
}

export const SIMPLE_TEMPLATE = "{{ config['x'] }}";
export const COMPLEX_TEMPLATE =
  "{% if record.get('status') == 'active' %}{{ record['name'] | upper }}-{{ (record['amount'] * 100) | round(2) }}" +
  "{% else %}{{ config.get('fallback', 'none') }}{% endif %}|{{ stream_interval.start_time[:10] }}|" +
  "{{ record['tags'] | join(',') }}|{{ format_datetime(stream_interval.end_time, '%Y%m%d') }}";

export interface TemplateFigure {
  template: 'simple' | 'complex';
  api: 'renderString' | 'compiled.render';
  usPerEval: number;
  output: string;
}

function timeIt(fn: () => unknown, iterations: number, batches: number): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i += 1) fn();
  const perBatch: number[] = [];
  for (let b = 0; b < batches; b += 1) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i += 1) fn();
    perBatch.push(((performance.now() - t0) * 1000) / iterations);
  }
  return median(perBatch);
}

export async function benchTemplates(runs: number): Promise<TemplateFigure[]> {
  const mod = (await import(new URL('../../runtime/dist/interpolation/index.js', import.meta.url).href)) as Interpolation;
  const ctx = {
    config: { x: 'abc', region: 'eu' },
    record: { status: 'active', name: 'widget', amount: 12.345, tags: ['a', 'b', 'c'] },
    stream_slice: { start_time: '2024-01-01T00:00:00Z', end_time: '2024-02-01T00:00:00Z' },
  };
  // compiled.render has no alias handling: it sees stream_interval as a plain variable.
  const plainCtx = { ...ctx, stream_interval: ctx.stream_slice };
  const figures: TemplateFigure[] = [];
  for (const [name, source, iterations] of [
    ['simple', SIMPLE_TEMPLATE, 200_000],
    ['complex', COMPLEX_TEMPLATE, 20_000],
  ] as const) {
    const compiled = mod.compileTemplate(source);
    figures.push({
      template: name,
      api: 'renderString',
      usPerEval: timeIt(() => mod.renderString(source, ctx), iterations, runs),
      output: mod.renderString(source, ctx),
    });
    figures.push({
      template: name,
      api: 'compiled.render',
      usPerEval: timeIt(() => compiled.render(plainCtx), iterations, runs),
      output: compiled.render(plainCtx),
    });
  }
  return figures;
}
