import type { HttpResponse } from '../requesters/http-client.js';
import type { Decoder } from './decoder.js';
import { decodeError, decodeText, resolveCodec, setOwn, transportBody } from './text.js';

/**
 * Splits CSV text into rows the way Python's csv.reader does with the default (excel) dialect and
 * strict=False: `"` quotes, `""` inside quotes is one quote, newlines inside quotes belong to the
 * field, a quote inside an unquoted field is literal, text after a closing quote is appended, an
 * unterminated quote runs to the end. A blank line is an empty row ([]).
 * Line breaks must already be normalised to \n (Python reads the text in universal-newline mode).
 */
export function parseCsvRows(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  type State = 'startRecord' | 'startField' | 'inField' | 'inQuoted' | 'quoteInQuoted';
  let state: State = 'startRecord';
  const endRecord = (): void => {
    rows.push(row);
    row = [];
    state = 'startRecord';
  };
  const saveField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    switch (state) {
      case 'startRecord':
        if (c === '\n') {
          endRecord();
          break;
        }
        state = 'startField';
        i--; // read this character again as the start of a field
        break;
      case 'startField':
        if (c === '\n') {
          saveField();
          endRecord();
        } else if (c === '"') state = 'inQuoted';
        else if (c === delimiter) saveField();
        else {
          field += c;
          state = 'inField';
        }
        break;
      case 'inField':
        if (c === '\n') {
          saveField();
          endRecord();
        } else if (c === delimiter) {
          saveField();
          state = 'startField';
        } else field += c;
        break;
      case 'inQuoted':
        if (c === '"') state = 'quoteInQuoted';
        else field += c;
        break;
      case 'quoteInQuoted':
        if (c === '"') {
          field += c;
          state = 'inQuoted';
        } else if (c === delimiter) {
          saveField();
          state = 'startField';
        } else if (c === '\n') {
          saveField();
          endRecord();
        } else {
          field += c;
          state = 'inField';
        }
        break;
    }
  }
  // End of input without a final newline: Python closes the pending record.
  if (state !== 'startRecord') {
    saveField();
    endRecord();
  }
  return rows;
}

/** Python's unicode_escape decoding of a delimiter written like `\t` or `\u0001`. */
export function unescapeDelimiter(delimiter: string): string {
  if (!delimiter.startsWith('\\')) return delimiter;
  return delimiter.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case '\\':
        return '\\';
      default:
        return /^[0-7]+$/.test(esc) ? String.fromCharCode(parseInt(esc, 8)) : `\\${esc}`;
    }
  });
}

export interface CsvDecoderOptions {
  encoding?: string;
  delimiter?: string;
  /** Cell values that become null. */
  setValuesToNone?: string[];
}

/**
 * CSV bodies, one body per row keyed by the header row, like Python's csv.DictReader: blank lines
 * are skipped, missing trailing cells are null. A row with more cells than the header throws
 * HTTP_DECODE (DictReader files the extras under a None key, which the CDK then cannot serialise).
 * A UTF-8 byte order mark stays in the first header name unless the encoding is `utf-8-sig`, as in
 * Python.
 */
export class CsvDecoder implements Decoder {
  readonly encoding: string;
  readonly delimiter: string;
  private readonly none: ReadonlySet<string>;

  constructor(options: CsvDecoderOptions = {}) {
    this.encoding = options.encoding || 'utf-8';
    resolveCodec(this.encoding);
    const delimiter = unescapeDelimiter(options.delimiter ?? ',') || ',';
    if ([...delimiter].length !== 1 || delimiter.length !== 1) {
      throw new Error(`the CSV delimiter must be a single character, got ${JSON.stringify(delimiter)}`);
    }
    if (delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`the CSV delimiter cannot be ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter;
    this.none = new Set(options.setValuesToNone ?? []);
  }

  decode(response: HttpResponse): Iterable<unknown> {
    return this.parse(transportBody(response));
  }

  *parse(body: Buffer): Iterable<Record<string, string | null>> {
    const text = decodeText(body, this.encoding).replace(/\r\n?/g, '\n');
    const rows = parseCsvRows(text, this.delimiter);
    const header = rows[0];
    if (!header) return;
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r]!;
      if (row.length === 0) continue;
      if (row.length > header.length) {
        throw decodeError(`CSV row ${r + 1} has ${row.length} cells but the header has ${header.length}`);
      }
      const record: Record<string, string | null> = {};
      for (let i = 0; i < row.length; i++) setOwn(record, header[i]!, row[i]!);
      for (let i = row.length; i < header.length; i++) setOwn(record, header[i]!, null);
      if (this.none.size > 0) {
        for (const key of Object.keys(record)) {
          const value = record[key];
          if (value !== null && value !== undefined && this.none.has(value)) record[key] = null;
        }
      }
      yield record;
    }
  }
}
