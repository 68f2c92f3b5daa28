/**
 * Stored form of a subject's normalized meta + content: the JSON text, compressed when that pays, and
 * split into parts when even the compressed bytes exceed what one item may hold (400 KB per item,
 * keys and attribute names included). Never truncated: decoding returns the very same JSON text.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zlib } from 'node:zlib';
import type { SubjectContent } from '../../usecases/ports/persistence.js';

export type { SubjectContent };

/** `json`: UTF-8 JSON text as is; `br`: brotli-compressed UTF-8 JSON text. */
export type ContentEncoding = 'json' | 'br';

export interface EncodedContent {
  encoding: ContentEncoding;
  /** The stored bytes, in order; concatenated they are the whole encoded document. */
  parts: Uint8Array[];
  /** Size of the JSON text in bytes. */
  jsonBytes: number;
  /** Size of the stored bytes (all parts). */
  storedBytes: number;
}

export interface ContentCodecOptions {
  /** Largest part in bytes (default 350,000: room for keys and attribute names under 400 KB). */
  maxPartBytes?: number;
  /** Compress JSON text larger than this (default 1,024 bytes). */
  compressAboveBytes?: number;
}

export const DEFAULT_MAX_PART_BYTES = 350_000;
export const DEFAULT_COMPRESS_ABOVE_BYTES = 1024;

/** The JSON text stored for a subject (property order as given, no whitespace). */
export function contentJson(value: SubjectContent): string {
  const stored: SubjectContent = { meta: value.meta };
  if (value.content !== undefined) stored.content = value.content;
  else if (value.surface !== undefined) stored.surface = value.surface;
  if (value.assignments !== undefined) stored.assignments = value.assignments;
  if (value.policyGroups !== undefined) stored.policyGroups = value.policyGroups;
  return JSON.stringify(stored);
}

export function encodeContent(value: SubjectContent, options: ContentCodecOptions = {}): EncodedContent {
  const maxPart = options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES;
  const compressAbove = options.compressAboveBytes ?? DEFAULT_COMPRESS_ABOVE_BYTES;
  if (!Number.isInteger(maxPart) || maxPart < 1) throw new RangeError('maxPartBytes must be a positive integer');
  const json = Buffer.from(contentJson(value), 'utf8');
  let encoding: ContentEncoding = 'json';
  let bytes: Buffer = json;
  if (json.length > compressAbove) {
    const compressed = brotliCompressSync(json, {
      params: {
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_QUALITY]: 5,
        [zlib.BROTLI_PARAM_SIZE_HINT]: json.length,
      },
    });
    if (compressed.length < json.length) {
      encoding = 'br';
      bytes = compressed;
    }
  }
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length || parts.length === 0; offset += maxPart) {
    parts.push(new Uint8Array(bytes.subarray(offset, Math.min(offset + maxPart, bytes.length))));
  }
  return { encoding, parts, jsonBytes: json.length, storedBytes: bytes.length };
}

/** The JSON text of stored parts (exactly the text `contentJson` produced). */
export function decodeContentJson(encoding: ContentEncoding, parts: readonly Uint8Array[]): string {
  const bytes = Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  switch (encoding) {
    case 'json':
      return bytes.toString('utf8');
    case 'br':
      return brotliDecompressSync(bytes).toString('utf8');
    default:
      throw new Error(`unknown content encoding '${String(encoding)}'`);
  }
}

export function decodeContent(encoding: ContentEncoding, parts: readonly Uint8Array[]): SubjectContent {
  return JSON.parse(decodeContentJson(encoding, parts)) as SubjectContent;
}
