/**
 * Each decoder run as a whole source against a local mock API: the response body as an API sends
 * it, the exact records out. Expected values follow Airbyte's CDK v7.28.2 (CSV values stay strings,
 * XML attributes are `@name`, a gzip body is read whether the transport or the content is gzipped).
 */
import { crc32, gzipSync } from 'node:zlib';
import { type MockApi, type MockResponse, configuredCatalog, errors, records, startMockApi } from '@manifold/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runSource } from '../../source/__tests__/harness.js';

let api: MockApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function manifest(decoder: string, fieldPath: string): string {
  return `
version: 7.0.0
type: DeclarativeSource
check: { type: CheckStream, stream_names: [items] }
streams:
  - type: DeclarativeStream
    name: items
    retriever:
      type: SimpleRetriever
      decoder: ${decoder}
      requester: { type: HttpRequester, url_base: "{{ config['base_url'] }}", path: export }
      record_selector:
        type: RecordSelector
        extractor: { type: DpathExtractor, field_path: ${fieldPath} }
spec:
  type: Spec
  connection_specification: { type: object, properties: { base_url: { type: string } } }
`;
}

async function readWith(response: MockResponse, decoder: string, fieldPath = '[]', attempts = 1) {
  api = await startMockApi([{ path: '/export', response }]);
  const run = await runSource('read', { manifest: manifest(decoder, fieldPath), config: { base_url: api.url }, catalog: configuredCatalog(['items']) });
  expect(api.requests.map((r) => r.url)).toEqual(Array.from({ length: attempts }, () => '/export'));
  return run;
}

/** A zip archive with stored (uncompressed) entries, as a zip writer without compression makes it. */
function zipOf(files: Array<[name: string, content: string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of files) {
    const data = Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

describe('JsonDecoder', () => {
  it('a top-level array yields each element as a record', async () => {
    const run = await readWith({ body: [{ id: 1 }, { id: 2 }] }, '{ type: JsonDecoder }');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('an empty body is an empty object: no records, no error', async () => {
    const run = await readWith({ body: '', headers: { 'content-type': 'application/json' } }, '{ type: JsonDecoder }', '[data]');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([]);
    expect(errors(run.messages)).toEqual([]);
  });
});

describe('integers beyond 2^53 (Python ints: the CDK writes them exactly)', () => {
  /** The RECORD lines' data as written on stdout: the raw text, since JSON.parse would round. */
  function recordDataLines(stdout: string): string[] {
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('{"type":"RECORD"'))
      .map((line) => line.slice(line.indexOf('"data":') + 7, line.lastIndexOf(',"emitted_at"')));
  }

  it('a 64-bit integer id comes out exactly as the API sent it', async () => {
    const run = await readWith(
      { body: '{"data":[{"id":12345678901234567890}]}', headers: { 'content-type': 'application/json' } },
      '{ type: JsonDecoder }',
      '[data]',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"id":12345678901234567890');
  });

  it('JSON: nested, in arrays, negative, at the 2^53 boundary; floats and strings of digits unchanged', async () => {
    const body =
      '{"data":[{"id":9007199254740991,"next":9007199254740992,"after":9007199254740993,"neg":-18446744073709551615,' +
      '"nested":{"ids":[1,12345678901234567890,-9007199254740993]},"f":12345678901234567890.5,"s":"12345678901234567890"}]}';
    const run = await readWith({ body, headers: { 'content-type': 'application/json' } }, '{ type: JsonDecoder }', '[data]');
    expect(run.code).toBe(0);
    expect(recordDataLines(run.stdout)).toEqual([
      '{"id":9007199254740991,"next":9007199254740992,"after":9007199254740993,"neg":-18446744073709551615,' +
        '"nested":{"ids":[1,12345678901234567890,-9007199254740993]},"f":12345678901234567000,"s":"12345678901234567890"}',
    ]);
  });

  it('JSON Lines: each line keeps its big integers', async () => {
    const run = await readWith({ body: '{"id":1}\n{"id":18446744073709551615,"v":[9223372036854775807]}\n' }, '{ type: JsonlDecoder }');
    expect(run.code).toBe(0);
    expect(recordDataLines(run.stdout)).toEqual(['{"id":1}', '{"id":18446744073709551615,"v":[9223372036854775807]}']);
  });
});

describe('JsonlDecoder', () => {
  it('one record per line; blank lines are skipped', async () => {
    const run = await readWith({ body: '{"id":1}\n\n{"id":2,"tags":["a"]}\n' }, '{ type: JsonlDecoder }');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2, tags: ['a'] }]);
  });
});

describe('CsvDecoder', () => {
  it('a header row names the columns; values stay strings; set_values_to_none; an escaped delimiter', async () => {
    const run = await readWith(
      { body: 'id\tname\tscore\n1\tAda\t10\n2\tBob\tNA\n3\t"Cy\tD"\t\n', headers: { 'content-type': 'text/csv' } },
      '{ type: CsvDecoder, delimiter: "\\\\t", set_values_to_none: ["NA", ""] }',
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([
      { id: '1', name: 'Ada', score: '10' },
      { id: '2', name: 'Bob', score: null },
      { id: '3', name: 'Cy\tD', score: null },
    ]);
  });
});

describe('CsvDecoder edge cases', () => {
  it('a quoted field with a newline and doubled quotes; a short row gets null for the missing columns', async () => {
    const body = 'id,note,extra\n1,"two\nlines, ""quoted""",x\n2,short\n';
    const run = await readWith({ body, headers: { 'content-type': 'text/csv' } }, '{ type: CsvDecoder }');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([
      { id: '1', note: 'two\nlines, "quoted"', extra: 'x' },
      { id: '2', note: 'short', extra: null },
    ]);
  });
});

describe('XmlDecoder', () => {
  it('elements become objects, attributes @name, text #text; repeated elements a list', async () => {
    const xml =
      '<?xml version="1.0"?><feed><item id="1"><name>Ada</name><note lang="en">hi</note></item><item id="2"><name>Bob</name></item></feed>';
    const run = await readWith({ body: xml, headers: { 'content-type': 'application/xml' } }, '{ type: XmlDecoder }', '[feed, item]');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([
      { '@id': '1', name: 'Ada', note: { '@lang': 'en', '#text': 'hi' } },
      { '@id': '2', name: 'Bob' },
    ]);
  });

  it('a single element is one object, not a list', async () => {
    const run = await readWith(
      { body: '<feed><item id="7"><name>Solo</name></item></feed>', headers: { 'content-type': 'application/xml' } },
      '{ type: XmlDecoder }',
      '[feed, item]',
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ '@id': '7', name: 'Solo' }]);
  });
});

describe('GzipDecoder', () => {
  const lines = '{"id":1}\n{"id":2}\n';

  it('a gzipped file (content-type application/gzip) through the inner JsonlDecoder', async () => {
    const run = await readWith(
      { body: gzipSync(lines), headers: { 'content-type': 'application/gzip' } },
      '{ type: GzipDecoder, decoder: { type: JsonlDecoder } }',
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('gzip transport encoding (Content-Encoding: gzip) around CSV', async () => {
    const run = await readWith(
      { body: gzipSync('a,b\n1,2\n'), headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' } },
      '{ type: GzipDecoder, decoder: { type: CsvDecoder } }',
    );
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ a: '1', b: '2' }]);
  });

  it('a body that is not gzipped at all is read by the inner decoder (the fallback parser)', async () => {
    const run = await readWith({ body: lines, headers: { 'content-type': 'application/jsonl' } }, '{ type: GzipDecoder, decoder: { type: JsonlDecoder } }');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('ZipfileDecoder', () => {
  it('every file of the archive in order, each through the inner decoder', async () => {
    const zip = zipOf([
      ['a.jsonl', '{"id":1}\n{"id":2}\n'],
      ['b.jsonl', '{"id":3}\n'],
    ]);
    const run = await readWith({ body: zip, headers: { 'content-type': 'application/zip' } }, '{ type: ZipfileDecoder, decoder: { type: JsonlDecoder } }');
    expect(run.code).toBe(0);
    expect(records(run.messages)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('a body that is not a zip fails the stream with an error naming it (retried first: docs/differences.md, undecodable 2xx)', async () => {
    const run = await readWith(
      { body: 'not a zip', headers: { 'content-type': 'application/zip' } },
      '{ type: ZipfileDecoder, decoder: { type: JsonlDecoder } }',
      '[]',
      6,
    );
    expect(run.code).not.toBe(0);
    expect(records(run.messages)).toEqual([]);
    const [error] = errors(run.messages);
    expect(error?.message).toMatch(/not a valid zip/);
    expect(error?.failure_type).toBe('transient_error');
  });
});
