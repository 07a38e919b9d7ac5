import { inflateRawSync } from 'node:zlib';
import type { HttpResponse } from '../requesters/http-client.js';
import type { Decoder } from './decoder.js';
import { decodeError, transportBody, withBody } from './text.js';

export interface ZipEntry {
  name: string;
  /** The file's bytes, inflated and checked against its CRC-32. */
  read(): Buffer;
}

const EOCD = 0x06054b50;
const ZIP64_EOCD = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

let crcTable: Uint32Array | undefined;

export function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function bad(message: string): never {
  throw decodeError(`response body is not a valid zip file: ${message}`);
}

/**
 * Lists the files of a zip archive from its central directory, in archive order (Python's
 * ZipFile.namelist()). Supports stored and deflated entries and ZIP64 sizes and offsets.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  if (zip.length < 22) bad('too short');
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('no end of central directory record');
  let count: number = zip.readUInt16LE(eocd + 10);
  let size: number = zip.readUInt32LE(eocd + 12);
  let offset: number = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator >= 0 && zip.readUInt32LE(locator) === ZIP64_LOCATOR) {
      const at = Number(zip.readBigUInt64LE(locator + 8));
      if (at + 56 > zip.length || zip.readUInt32LE(at) !== ZIP64_EOCD) bad('bad ZIP64 end record');
      count = Number(zip.readBigUInt64LE(at + 32));
      size = Number(zip.readBigUInt64LE(at + 40));
      offset = Number(zip.readBigUInt64LE(at + 48));
    }
  }
  if (offset + size > zip.length) bad('central directory out of range');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) bad(`bad central directory entry ${n}`);
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    let compressedSize: number = zip.readUInt32LE(p + 20);
    let uncompressedSize: number = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    let localOffset: number = zip.readUInt32LE(p + 42);
    const nameBytes = zip.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: UTF-8 names; otherwise CP437, which we read as latin1 (they agree on ASCII).
    const name = flags & 0x800 ? nameBytes.toString('utf8') : nameBytes.toString('latin1');
    const extra = zip.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const length = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + length) {
          uncompressedSize = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + length) {
          compressedSize = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= e + 4 + length) localOffset = Number(extra.readBigUInt64LE(q));
      }
      e += 4 + length;
    }
    p += 46 + nameLength + extraLength + commentLength;
    const expectedSize = uncompressedSize;
    entries.push({
      name,
      read(): Buffer {
        if (flags & 0x1) bad(`'${name}' is encrypted`);
        if (localOffset + 30 > zip.length || zip.readUInt32LE(localOffset) !== LOCAL) bad(`bad local header for '${name}'`);
        const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
        if (start + compressedSize > zip.length) bad(`'${name}' is truncated`);
        const raw = zip.subarray(start, start + compressedSize);
        let data: Buffer;
        if (method === 0) data = raw;
        else if (method === 8) {
          try {
            data = inflateRawSync(raw);
          } catch (error) {
            bad(`'${name}' does not inflate: ${(error as Error).message}`);
          }
        } else bad(`'${name}' uses compression method ${method}, which is not supported (only stored and deflate)`);
        if (data.length !== expectedSize || crc32(data) !== crc) bad(`bad CRC-32 or size for '${name}'`);
        return data;
      },
    });
  }
  return entries;
}

/**
 * Zip archives: every file, in archive order, goes through the inner decoder (which the CDK builds
 * as a plain parser: JSON without the empty-object fallback). Directory entries are skipped (the
 * CDK would hand their empty content to the parser). A bad archive or file throws HTTP_DECODE.
 */
export class ZipfileDecoder implements Decoder {
  constructor(readonly inner: Decoder) {}

  *decode(response: HttpResponse): Iterable<unknown> {
    for (const entry of readZip(transportBody(response))) {
      if (entry.name.endsWith('/')) continue;
      const content = entry.read();
      try {
        yield* this.inner.decode(withBody(response, content));
      } catch (error) {
        if (error instanceof Error && 'code' in error && error.code === 'HTTP_DECODE') {
          error.message = `file '${entry.name}' in the zip archive: ${error.message}`;
        }
        throw error;
      }
    }
  }
}
