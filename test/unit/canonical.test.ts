import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHash, canonicalJson, sha256Hex } from '../../shared/domain/canonical.js';
import { NonCanonicalValueError } from '../../shared/domain/errors.js';

// RFC 8785 reference implementation, used as an oracle for JSON data.
const require = createRequire(import.meta.url);
const rfc8785 = require('canonicalize') as (value: unknown) => string | undefined;

describe('canonical JSON', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('orders keys by UTF-16 code units, array-index keys included', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, é: 0, '10': 0, '9': 0, '': 0 })).toBe('{"":0,"10":0,"9":0,"B":0,"a":0,"b":0,"é":0}');
    expect(canonicalJson({ '\u{1F600}': 1, '\uFB33': 2 })).toBe('{"\u{1F600}":1,"\uFB33":2}');
  });

  it('writes numbers deterministically: 1.0 is 1, -0 is 0, shortest round-trip form', () => {
    expect(canonicalJson(JSON.parse('{"a":1.0,"b":1,"c":-0,"d":1e21,"e":0.1,"f":1E-7}'))).toBe('{"a":1,"b":1,"c":0,"d":1e+21,"e":0.1,"f":1e-7}');
    expect(canonicalHash(JSON.parse('{"n": 1.0}'))).toBe(canonicalHash(JSON.parse('{"n": 1}')));
  });

  it('escapes strings as JSON.stringify does', () => {
    expect(canonicalJson({ s: 'quote " backslash \\ newline \n tab \t nul \u0000 é' })).toBe(JSON.stringify({ s: 'quote " backslash \\ newline \n tab \t nul \u0000 é' }));
  });

  it('leaves out undefined properties and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('serializes what toJSON returns (dates)', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) })).toBe('{"at":"2025-01-02T03:04:05.000Z"}');
  });

  it('rejects what JSON cannot represent, naming where', () => {
    expect(() => canonicalJson({ a: { b: [1, Number.NaN] } })).toThrow(NonCanonicalValueError);
    expect(() => canonicalJson({ a: { b: [1, Number.NaN] } })).toThrow(/"\/a\/b\/1" is NaN/);
    expect(() => canonicalJson({ x: Infinity })).toThrow(/"\/x" is Infinity/);
    expect(() => canonicalJson(undefined)).toThrow(NonCanonicalValueError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/a function/);
    expect(() => canonicalJson({ big: 10n })).toThrow(/a bigint/);
    expect(() => canonicalJson([Symbol('s')])).toThrow(/a symbol/);
    const error = (() => {
      try {
        canonicalJson({ 'a/b~c': NaN });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ name: 'NonCanonicalValueError', code: 'non_canonical_value', path: '/a~1b~0c' });
  });

  it('equals the RFC 8785 reference for any JSON value, whatever its key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        expect(canonicalJson(parsed)).toBe(rfc8785(parsed));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same text for the fast path (sorted input) and the sorting path', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sortedCopy: unknown = JSON.parse(canonicalJson(value));
        expect(canonicalJson(sortedCopy)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('SHA-256', () => {
  it('hashes strings as UTF-8 and bytes as they are, in lowercase hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe(sha256Hex('abc'));
    expect(sha256Hex('é')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
  });

  it('hashes the canonical JSON', () => {
    expect(canonicalHash({ b: [1, 2], a: 'x' })).toBe(sha256Hex('{"a":"x","b":[1,2]}'));
    expect(canonicalHash({ a: 1, b: 2 })).toBe(canonicalHash({ b: 2, a: 1 }));
    expect(canonicalHash([1, 2])).not.toBe(canonicalHash([2, 1]));
  });
});
