/**
 * The text of an export file, whatever encoding the exporting tool chose among those Windows tools
 * write: UTF-8 with or without a byte order mark, UTF-16LE or UTF-16BE with one (what Windows
 * PowerShell 5.1 writes by default with `Out-File` and `>`). Any other encoding is refused naming it
 * and how to re-save the file, never read as garbled text.
 */
import { MalformedGraphObjectError } from '../../domain/errors.js';

const RESAVE =
  're-save it as UTF-8 (PowerShell: Get-Content -Raw <file> | Set-Content -Encoding utf8 <new file>; ' +
  'or pass -Encoding utf8 to Out-File when exporting) and try again';

/** Decodes an export file's bytes; throws `MalformedGraphObjectError` naming `file` for other encodings. */
export function decodeExportText(bytes: Uint8Array, file: string): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (bytes.length >= 4 && b0 === 0xff && b1 === 0xfe && bytes[2] === 0 && bytes[3] === 0) {
    throw refused(file, 'is UTF-32LE (it starts with a UTF-32 byte order mark)');
  }
  if (bytes.length >= 4 && b0 === 0 && b1 === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) {
    throw refused(file, 'is UTF-32BE (it starts with a UTF-32 byte order mark)');
  }
  if (b0 === 0xff && b1 === 0xfe) return decode('utf-16le', bytes.subarray(2), file, 'UTF-16LE');
  if (b0 === 0xfe && b1 === 0xff) return decode('utf-16be', bytes.subarray(2), file, 'UTF-16BE');
  if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf) return decode('utf-8', bytes.subarray(3), file, 'UTF-8');
  const nulAt = bytes.indexOf(0);
  if (nulAt !== -1) {
    // JSON and YAML text never holds NUL: zero bytes beside ASCII are UTF-16 without its byte order mark.
    const guess = nulAt % 2 === 1 ? 'UTF-16LE' : 'UTF-16BE';
    throw refused(file, `looks like ${guess} without a byte order mark (it holds zero bytes), which cannot be told apart reliably`);
  }
  return decode('utf-8', bytes, file, 'UTF-8');
}

function decode(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array, file: string, label: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    if (label === 'UTF-8') {
      throw refused(file, 'is not UTF-8 (it holds byte sequences UTF-8 does not allow; most likely a Windows code page such as Windows-1252)');
    }
    throw refused(file, `starts with a ${label} byte order mark but is not valid ${label} after it`);
  }
}

function refused(file: string, what: string): MalformedGraphObjectError {
  return new MalformedGraphObjectError(file, `${file} ${what}: ${RESAVE}`);
}
