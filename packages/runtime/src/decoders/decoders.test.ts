import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BuildContext, type Builder } from '../factory/build-context.js';
import type { RunContext } from '../context.js';
import { silentLogger } from '../logging/logger.js';
import { SecretMasker } from '../logging/mask.js';
import { makeResponse, type HttpResponse } from '../requesters/http-client.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { decoderBuilders } from './builders.js';
import { parseCsvRows } from './csv.js';
import type { Decoder } from './decoder.js';
import { parseXml } from './xml.js';
import { crc32 } from './zip.js';

function response(body: Buffer | string, headers: Record<string, string> = {}): HttpResponse {
  return makeResponse(
    { method: 'GET', url: 'https://api.example.com/items', headers: {} },
    200,
    headers,
    typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
  );
}

function context(): BuildContext {
  const run: RunContext = {
    config: {},
    logger: silentLogger(),
    masker: new SecretMasker(),
    clock: () => 0,
    sleep: async () => {},
    http: { send: async () => Promise.reject(new Error('no http')), close: async () => {} },
    emit: () => {},
  };
  return new BuildContext(run, new Map<string, Builder>(Object.entries(decoderBuilders)), 'retriever.decoder');
}

function build(model: Record<string, unknown>): Decoder {
  return context().component<Decoder>(model);
}

function decode(model: Record<string, unknown>, body: Buffer | string, headers?: Record<string, string>): unknown[] {
  return [...build(model).decode(response(body, headers))];
}

function decodeFails(model: Record<string, unknown>, body: Buffer | string): RuntimeError {
  try {
    decode(model, body);
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return error as RuntimeError;
  }
  throw new Error('expected a decode error');
}

/** A zip archive with the given files (deflated unless `stored`). */
function makeZip(files: Array<{ name: string; content: string | Buffer; stored?: boolean }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    const packed = file.stored ? data : deflateRawSync(data);
    const name = Buffer.from(file.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(file.stored ? 0 : 8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(file.stored ? 0 : 8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('JsonDecoder', () => {
  const json = { type: 'JsonDecoder' };
  it.each([
    ['an object', '{"a": 1}', [{ a: 1 }]],
    ['a list (each element is a body)', '[{"a": 1}, {"a": 2}]', [{ a: 1 }, { a: 2 }]],
    ['a list of lists', '[[1], [2]]', [[1], [2]]],
    ['an empty list (the CDK yields one empty object)', '[]', [{}]],
    ['an empty object', '{}', [{}]],
    ['an empty body', '', [{}]],
    ['a whitespace body', ' \n ', [{}]],
    ['null', 'null', [{}]],
    ['a scalar', '42', [42]],
    ['false', 'false', [false]],
    ['a UTF-8 BOM', '\ufeff{"a": 1}', [{ a: 1 }]],
    ["Python's NaN and Infinity", '{"a": NaN, "b": -Infinity, "c": "NaN"}', [{ a: null, b: null, c: 'NaN' }]],
    ['unicode', '{"name": "Zoë 🎉"}', [{ name: 'Zoë 🎉' }]],
  ])('decodes %s', (_, body, expected) => {
    expect(decode(json, body)).toEqual(expected);
  });

  it.each([
    ['truncated JSON', '{"a": 1'],
    ['HTML', '<html>busy</html>'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])],
  ])('throws HTTP_DECODE (transient) on %s', (_, body) => {
    const error = decodeFails(json, body);
    expect(error.code).toBe('HTTP_DECODE');
    expect(error.failureType).toBe('transient_error');
  });
});

describe('JsonlDecoder', () => {
  const jsonl = { type: 'JsonlDecoder' };
  it.each([
    ['lines', '{"a":1}\n{"a":2}\n', [{ a: 1 }, { a: 2 }]],
    ['CRLF lines and blank lines', '{"a":1}\r\n\r\n{"a":2}', [{ a: 1 }, { a: 2 }]],
    ['a list on one line stays one body', '[1,2]\n', [[1, 2]]],
    ['an empty body', '', []],
    ['a BOM on the first line', '\ufeff{"a":1}\n', [{ a: 1 }]],
  ])('decodes %s', (_, body, expected) => {
    expect(decode(jsonl, body)).toEqual(expected);
  });

  it('throws on a line that is not JSON, naming the line', () => {
    const error = decodeFails(jsonl, '{"a":1}\nnope\n');
    expect(error.code).toBe('HTTP_DECODE');
    expect(error.message).toContain('line 2');
  });
});

describe('JsonItemsDecoder', () => {
  it.each([
    ['data.users', '{"data": {"users": [{"id": 1}, {"id": 2}]}}', [{ id: 1 }, { id: 2 }]],
    ['data.item.users', '{"data": [{"users": [1, 2]}, {"users": [3]}]}', [1, 2, 3]],
    ['missing', '{"other": []}', []],
  ])('yields the items at %s', (itemsPath, body, expected) => {
    expect(decode({ type: 'JsonItemsDecoder', items_path: itemsPath }, body)).toEqual(expected);
  });

  it('needs an items_path', () => {
    expect(() => build({ type: 'JsonItemsDecoder', items_path: '' })).toThrow(/items_path/);
  });
});

describe('IterableDecoder', () => {
  it.each([
    ['lines', 'a\nb\n', [{ record: 'a' }, { record: 'b' }]],
    ['CRLF and an inner blank line', 'a\r\n\r\nb', [{ record: 'a' }, { record: '' }, { record: 'b' }]],
    ['an empty body', '', []],
  ])('wraps %s', (_, body, expected) => {
    expect(decode({ type: 'IterableDecoder' }, body)).toEqual(expected);
  });
});

describe('CSV', () => {
  it.each([
    ['simple', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['quoted delimiter', '"x,y",z', [['x,y', 'z']]],
    ['escaped quotes', '"say ""hi""",2', [['say "hi"', '2']]],
    ['newline inside quotes', '"line1\nline2",2\n', [['line1\nline2', '2']]],
    ['quote inside an unquoted field is literal', 'ab"c,d', [['ab"c', 'd']]],
    ['text after a closing quote', '"ab"c,d', [['abc', 'd']]],
    ['unterminated quote runs to the end', '"abc,d\ne', [['abc,d\ne']]],
    ['blank line is an empty row', 'a\n\nb', [['a'], [], ['b']]],
    ['trailing delimiter', 'a,\n', [['a', '']]],
    ['empty quoted field', '"",x', [['', 'x']]],
  ])('parses %s', (_, text, rows) => {
    expect(parseCsvRows(text)).toEqual(rows);
  });

  const csv = { type: 'CsvDecoder' };
  it.each([
    ['rows keyed by header', 'id,name\n1,Ann\n2,Bob\n', {}, [{ id: '1', name: 'Ann' }, { id: '2', name: 'Bob' }]],
    ['CRLF and nested quotes', 'id,note\r\n1,"a ""b"" c"\r\n2,"x\r\ny"\r\n', {}, [{ id: '1', note: 'a "b" c' }, { id: '2', note: 'x\ny' }]],
    ['short rows get null', 'a,b,c\n1\n', {}, [{ a: '1', b: null, c: null }]],
    ['blank lines skipped', 'a\n\n1\n\n', {}, [{ a: '1' }]],
    ['header only', 'a,b\n', {}, []],
    ['empty body', '', {}, []],
    ['tab delimiter written as \\t', 'a\tb\n1\t2\n', { delimiter: '\\t' }, [{ a: '1', b: '2' }]],
    ['semicolon delimiter', 'a;b\n1;2\n', { delimiter: ';' }, [{ a: '1', b: '2' }]],
    ['set_values_to_none', 'a,b\nNA,\n', { set_values_to_none: ['NA', ''] }, [{ a: null, b: null }]],
    ['BOM kept with utf-8 (as Python does)', '\ufeffid\n1\n', {}, [{ '\ufeffid': '1' }]],
    ['BOM dropped with utf-8-sig', '\ufeffid\n1\n', { encoding: 'utf-8-sig' }, [{ id: '1' }]],
    ['duplicate header: the later column wins', 'a,a\n1,2\n', {}, [{ a: '2' }]],
    ['a __proto__ header is a plain key', '__proto__\nx\n', {}, [JSON.parse('{"__proto__":"x"}')]],
  ])('decodes %s', (_, body, options, expected) => {
    expect(decode({ ...csv, ...options }, body)).toEqual(expected);
  });

  it('decodes latin-1', () => {
    const body = Buffer.from([0x6e, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]); // "n\ncafé\n" in latin-1
    expect(decode({ ...csv, encoding: 'latin-1' }, body)).toEqual([{ n: 'café' }]);
    expect(decodeFails(csv, body).code).toBe('HTTP_DECODE');
  });

  it.each([
    ['cp1252', Buffer.from([0x6e, 0x0a, 0x80, 0x0a]), '€'],
    ['shift_jis', Buffer.from([0x6e, 0x0a, 0x82, 0xa0, 0x0a]), 'あ'],
    ['utf', Buffer.from('n\né\n'), 'é'],
    ['UTF_8', Buffer.from('n\né\n'), 'é'],
    ['UTF-16', Buffer.from('\ufeffn\nx\n', 'utf16le'), 'x'],
  ])('decodes %s', (encoding, body, expected) => {
    expect(decode({ ...csv, encoding }, body)).toEqual([{ n: expected }]);
  });

  it('throws on a row longer than the header', () => {
    expect(decodeFails(csv, 'a\n1,2\n').message).toMatch(/row 2 has 2 cells/);
  });

  it.each([
    [{ delimiter: ';;' }, /single character/],
    [{ encoding: 'klingon' }, /unknown text encoding/],
  ])('rejects bad options %j', (options, message) => {
    expect(() => build({ ...csv, ...options })).toThrow(message);
  });
});

describe('XML', () => {
  it.each([
    ['text-only element', '<a>hi</a>', { a: 'hi' }],
    ['empty element', '<a/>', { a: null }],
    ['whitespace-only element', '<a>  \n </a>', { a: null }],
    ['attributes and text', '<a id="1" kind=\'x\'> San Francisco </a>', { a: { '@id': '1', '@kind': 'x', '#text': 'San Francisco' } }],
    ['attribute-only element', '<a id="1"/>', { a: { '@id': '1' } }],
    [
      'repeated children become a list',
      '<root><item id="1"><name>A</name></item><item id="2"><name>B</name><price>9</price></item></root>',
      { root: { item: [{ '@id': '1', name: 'A' }, { '@id': '2', name: 'B', price: '9' }] } },
    ],
    ['mixed content', '<a>x<b>1</b>y</a>', { a: { b: '1', '#text': 'xy' } }],
    ['entities and char refs', '<a t="&lt;&quot;">&amp;&#65;&#x42;</a>', { a: { '@t': '<"', '#text': '&AB' } }],
    ['CDATA', '<a><![CDATA[<b>raw</b>]]></a>', { a: '<b>raw</b>' }],
    ['prolog, comments, PI, doctype', '<?xml version="1.0"?>\n<!DOCTYPE r>\n<!-- c --><r><?pi x?><a>1</a><!-- c --></r>\n', { r: { a: '1' } }],
    ['namespaces kept as prefixes', '<ns:r xmlns:ns="urn:x"><ns:a>1</ns:a></ns:r>', { 'ns:r': { '@xmlns:ns': 'urn:x', 'ns:a': '1' } }],
    ['attribute whitespace normalised', '<a v="x\ty\nz"/>', { a: { '@v': 'x y z' } }],
    ['three repeats', '<r><i>1</i><i>2</i><i>3</i></r>', { r: { i: ['1', '2', '3'] } }],
    ['empty repeated elements', '<r><i/><i/></r>', { r: { i: [null, null] } }],
  ])('converts %s like xmltodict', (_, xml, expected) => {
    expect(parseXml(xml)).toEqual(expected);
  });

  it('decodes a response into one body', () => {
    expect(decode({ type: 'XmlDecoder' }, '<r><i>1</i></r>')).toEqual([{ r: { i: '1' } }]);
    expect(decode({ type: 'XmlDecoder' }, '')).toEqual([{}]);
  });

  it('uses the Content-Type charset', () => {
    const body = Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]);
    expect(decode({ type: 'XmlDecoder' }, body, { 'content-type': 'text/xml; charset=ISO-8859-1' })).toEqual([{ a: 'é' }]);
  });

  it('follows the XML declaration when there is no charset', () => {
    const body = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    expect(decode({ type: 'XmlDecoder' }, body, { 'content-type': 'application/xml' })).toEqual([{ a: 'é' }]);
  });

  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['unclosed', '<a><b></b>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', '<a/>junk'],
    ['undefined entity', '<a>&nbsp;</a>'],
    ['bare ampersand', '<a>x & y</a>'],
    ['duplicate attribute', '<a x="1" x="2"/>'],
    ['not XML', '{"a": 1}'],
  ])('throws HTTP_DECODE on %s', (_, xml) => {
    expect(decodeFails({ type: 'XmlDecoder' }, xml).code).toBe('HTTP_DECODE');
  });
});

describe('GzipDecoder', () => {
  const gzipJson = { type: 'GzipDecoder', decoder: { type: 'JsonDecoder' } };
  const gzipJsonl = { type: 'GzipDecoder', decoder: { type: 'JsonlDecoder' } };
  it('detects gzip by magic bytes, whatever the headers say', () => {
    expect(decode(gzipJson, gzipSync('{"a":1}'), { 'content-type': 'application/json' })).toEqual([{ a: 1 }]);
  });
  it('passes a body that is not gzip through, even with gzip headers', () => {
    expect(decode(gzipJsonl, '{"a":1}\n{"a":2}', { 'content-type': 'application/gzip' })).toEqual([{ a: 1 }, { a: 2 }]);
  });
  it('unwraps transport gzip over a gzip file', () => {
    const twice = gzipSync(gzipSync('{"a":1}\n'));
    expect(decode(gzipJsonl, twice, { 'content-encoding': 'gzip' })).toEqual([{ a: 1 }]);
  });
  it('decodes concatenated gzip members', () => {
    const body = Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"a":2}\n')]);
    expect(decode(gzipJsonl, body)).toEqual([{ a: 1 }, { a: 2 }]);
  });
  it('inner JSON is the CDK parser: [] yields nothing', () => {
    expect(decode(gzipJson, gzipSync('[]'))).toEqual([]);
  });
  it('decodes gzipped CSV with options', () => {
    const model = { type: 'GzipDecoder', decoder: { type: 'CsvDecoder', delimiter: '|' } };
    expect(decode(model, gzipSync('a|b\n1|2\n'))).toEqual([{ a: '1', b: '2' }]);
  });
  it('throws HTTP_DECODE on a corrupt stream', () => {
    const body = gzipSync('{"a":1}').subarray(0, 12);
    expect(decodeFails(gzipJson, body).code).toBe('HTTP_DECODE');
  });
  it('rejects decoders that cannot be nested', () => {
    expect(() => build({ type: 'GzipDecoder', decoder: { type: 'XmlDecoder' } })).toThrow(/cannot be nested/);
    expect(() => build({ type: 'GzipDecoder' })).toThrow(/needs a 'decoder'/);
  });
});

describe('transport encoding (Content-Encoding), as requests undoes it', () => {
  it.each<[string, Record<string, unknown>, Buffer, string, unknown[]]>([
    ['gzip JSON', { type: 'JsonDecoder' }, gzipSync('{"a":1}'), 'gzip', [{ a: 1 }]],
    ['deflate JSON', { type: 'JsonDecoder' }, deflateSync('{"a":1}'), 'deflate', [{ a: 1 }]],
    ['raw deflate JSON', { type: 'JsonDecoder' }, deflateRawSync('{"a":1}'), 'deflate', [{ a: 1 }]],
    ['brotli CSV', { type: 'CsvDecoder' }, brotliCompressSync('a\n1\n'), 'br', [{ a: '1' }]],
    ['gzip JSONL', { type: 'JsonlDecoder' }, gzipSync('{"a":1}\n'), 'gzip', [{ a: 1 }]],
    ['gzip XML', { type: 'XmlDecoder' }, gzipSync('<a>1</a>'), 'gzip', [{ a: '1' }]],
    ['already decoded by the client', { type: 'JsonDecoder' }, Buffer.from('{"a":1}'), 'gzip', [{ a: 1 }]],
    ['already decoded (br)', { type: 'JsonDecoder' }, Buffer.from('{"a":1}'), 'br', [{ a: 1 }]],
  ])('%s', (_, model, body, encoding, expected) => {
    expect(decode(model, body, { 'content-encoding': encoding })).toEqual(expected);
  });
});

describe('ZipfileDecoder', () => {
  const zipJsonl = { type: 'ZipfileDecoder', decoder: { type: 'JsonlDecoder' } };
  it('decodes every file in archive order, stored or deflated, skipping directories', () => {
    const zip = makeZip([
      { name: 'b.jsonl', content: '{"f":"b","n":1}\n{"f":"b","n":2}\n' },
      { name: 'dir/', content: '', stored: true },
      { name: 'dir/a.jsonl', content: '{"f":"a"}\n', stored: true },
    ]);
    expect(decode(zipJsonl, zip)).toEqual([{ f: 'b', n: 1 }, { f: 'b', n: 2 }, { f: 'a' }]);
  });
  it('nests a gzip decoder', () => {
    const zip = makeZip([{ name: 'x.csv.gz', content: gzipSync('a\n1\n') }]);
    expect(decode({ type: 'ZipfileDecoder', decoder: { type: 'GzipDecoder', decoder: { type: 'CsvDecoder' } } }, zip)).toEqual([
      { a: '1' },
    ]);
  });
  it('names the file whose content fails to parse', () => {
    const zip = makeZip([{ name: 'bad.json', content: '{oops' }]);
    const error = decodeFails({ type: 'ZipfileDecoder', decoder: { type: 'JsonDecoder' } }, zip);
    expect(error.message).toContain("'bad.json'");
  });
  it.each([
    ['not a zip', Buffer.from('hello world, this is not a zip archive')],
    ['a truncated zip', makeZip([{ name: 'a', content: 'x'.repeat(100) }]).subarray(0, 40)],
  ])('throws HTTP_DECODE on %s', (_, body) => {
    expect(decodeFails(zipJsonl, body).code).toBe('HTTP_DECODE');
  });
  it('checks the CRC', () => {
    const zip = makeZip([{ name: 'a.jsonl', content: '{"a":1}\n', stored: true }]);
    zip[30 + 'a.jsonl'.length] = 0x5b; // corrupt the first content byte
    expect(decodeFails(zipJsonl, zip).message).toMatch(/CRC/);
  });
  it('computes CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
