import { describe, expect, it } from 'vitest';
import { childEnv, median, parseGnuTime, RecordCounter, RecordSetCollector, formatTable } from './harness.js';
import { flatRecord, pageBody, wideRecord } from './mock-server.js';

const record = (id: number) => `${JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { id }, emitted_at: 1 } })}\n`;
const log = `${JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: '{"type":"RECORD"' } })}\n`;

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('RecordCounter', () => {
  it('counts RECORD lines however the stream is chunked, and nothing else', () => {
    const text = log + record(1) + record(2) + log + record(3);
    for (const size of [1, 2, 7, 16, 1000]) {
      const counter = new RecordCounter();
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += size) counter.feed(bytes.subarray(i, i + size));
      expect(counter.records).toBe(3);
      expect(counter.bytes).toBe(bytes.length);
    }
  });
});

describe('RecordSetCollector', () => {
  it('gives the same digest for the same records in any order and chunking', () => {
    const a = new RecordSetCollector();
    a.feed(Buffer.from(record(1) + record(2) + log));
    const b = new RecordSetCollector();
    const text = Buffer.from(log + record(2) + record(1));
    b.feed(text.subarray(0, 10));
    b.feed(text.subarray(10));
    const c = new RecordSetCollector();
    c.feed(Buffer.from(record(1) + record(3)));
    expect(a.digest()).toEqual(b.digest());
    expect(a.digest().count).toBe(2);
    expect(c.digest().sha256).not.toBe(a.digest().sha256);
  });
});

describe('parseGnuTime', () => {
  it('reads wall, user, system and peak RSS from the last matching line', () => {
    expect(parseGnuTime('Command exited with non-zero status 1\n1.50 0.92 0.10 81234\n')).toEqual({ userCpuMs: 920, systemCpuMs: 100, maxRssKb: 81234 });
    expect(parseGnuTime('nothing here')).toBeUndefined();
  });
});

describe('mock pages', () => {
  it('are valid JSON with unique ids across partitions and a cursor to the next page', () => {
    const opts = { records: 25, pageSize: 10, kind: 'flat' as const };
    const first = JSON.parse(pageBody(opts, 0, 0)) as { data: Array<{ id: number }>; next_cursor: string | null };
    const last = JSON.parse(pageBody(opts, 1, 2)) as { data: Array<{ id: number }>; next_cursor: string | null };
    expect(first.data.map((r) => r.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first.next_cursor).toBe('1');
    expect(last.data.map((r) => r.id)).toEqual([45, 46, 47, 48, 49]);
    expect(last.next_cursor).toBeNull();
    expect(() => JSON.parse(wideRecord(123))).not.toThrow();
    expect(JSON.parse(flatRecord(19)).status).toBe('deleted');
    expect(wideRecord(5).length).toBeGreaterThan(1000);
  });
});

describe('formatTable', () => {
  it('aligns columns', () => {
    expect(formatTable(['a', 'bb'], [['xyz', '1']])).toBe('a    bb\n---  --\nxyz   1');
  });
});

describe('childEnv', () => {
  it('adds, replaces and removes variables of this process environment', () => {
    const name = 'MANIFOLD_BENCH_TEST_VARIABLE';
    process.env[name] = 'here';
    try {
      expect(childEnv({ [name]: undefined })[name]).toBeUndefined();
      expect(name in childEnv({ [name]: undefined })).toBe(false);
      expect(childEnv({ [name]: 'other' })[name]).toBe('other');
      expect(childEnv()[name]).toBe('here');
      expect(childEnv().PATH).toBe(process.env.PATH);
    } finally {
      delete process.env[name];
    }
  });
});
