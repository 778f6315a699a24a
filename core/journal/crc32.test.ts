import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex } from './crc32.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('crc32', () => {
  it('matches the published check values', () => {
    expect(crc32Hex(bytes('123456789'))).toBe('cbf43926');
    expect(crc32Hex(bytes(''))).toBe('00000000');
    expect(crc32Hex(bytes('a'))).toBe('e8b7be43');
    expect(crc32Hex(bytes('The quick brown fox jumps over the lazy dog'))).toBe('414fa339');
    expect(crc32Hex(new Uint8Array(32))).toBe('190a55ad');
    expect(crc32Hex(new Uint8Array(32).fill(0xff))).toBe('ff6cab0b');
  });

  it('checks a sub-range without copying', () => {
    const line = bytes('xx123456789yy');
    expect(crc32Hex(line, 2, 11)).toBe('cbf43926');
  });

  it('agrees with zlib on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        expect(crc32(data)).toBe(zlibCrc32(data));
      }),
    );
  });
});
