import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.js';
import { bytes, progressLine } from './output.js';

const specs = {
  name: { type: 'string' as const, required: true, help: 'the name' },
  ssl: { type: 'boolean' as const, help: 'tls' },
};

describe('parseArgs', () => {
  it('takes --flag value, --flag=value, booleans and positionals', () => {
    expect(parseArgs(['a', '--name', 'x', '--ssl', 'b'], specs, 'u')).toEqual({ flags: { name: 'x', ssl: true }, positionals: ['a', 'b'] });
    expect(parseArgs(['--name=y=z'], specs, 'u').flags.name).toBe('y=z');
  });

  it('names the flag that is unknown, missing or without a value', () => {
    expect(() => parseArgs(['--nam', 'x'], specs, 'u')).toThrow('unknown flag --nam');
    expect(() => parseArgs([], specs, 'u')).toThrow('--name is required');
    expect(() => parseArgs(['--name'], specs, 'u')).toThrow('--name needs a value');
    expect(() => parseArgs(['--name', '--ssl'], specs, 'u')).toThrow('--name needs a value');
    expect(() => parseArgs(['--name', 'x', '--ssl=yes'], specs, 'u')).toThrow('--ssl takes no value');
  });
});

describe('output', () => {
  it('draws a progress line', () => {
    const line = progressLine({
      syncId: 's',
      connectionId: 'c',
      phase: 'reading',
      elapsedMs: 2500,
      records: 3,
      bytes: 2048,
      checkpoints: 1,
      streams: { orders: { records: 3, bytes: 2048, pages: 2, status: 'RUNNING' }, customers: { records: 0, bytes: 0, pages: 0 } },
    });
    expect(line).toBe('reading 2.5 s | 3 records, 2.0 KB, 1 checkpoints | orders 3 (2 p)');
    expect(bytes(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
