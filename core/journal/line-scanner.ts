import { readSync } from 'node:fs';

/** One line of a file, without its newline. */
export interface ScannedLine {
  /** Valid only until the next line is taken: it may be a view into a reused read buffer. */
  readonly bytes: Uint8Array;
  readonly offsetBytes: number;
  /** 1-based. */
  readonly lineNumber: number;
  /** False for bytes after the last newline: a line whose write never completed. */
  readonly terminated: boolean;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Splits an open file into lines by reading it in chunks, so a journal larger than memory allows for
 * one Buffer (2 GiB) still opens, and a snapshot line larger than a chunk still comes out whole.
 */
export function* scanLines(fd: number): Generator<ScannedLine> {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = 0;
  let lineNumber = 1;
  let position = 0;
  for (;;) {
    const read = readSync(fd, chunk, 0, CHUNK_BYTES, position);
    if (read === 0) break;
    position += read;
    const filled = chunk.subarray(0, read);
    let from = 0;
    while (from < read) {
      const newline = filled.indexOf(0x0a, from);
      if (newline === -1) {
        // Copied: the chunk is overwritten by the next read.
        pending.push(Buffer.from(filled.subarray(from)));
        pendingBytes += read - from;
        break;
      }
      const piece = filled.subarray(from, newline);
      const bytes = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      yield { bytes, offsetBytes: lineStart, lineNumber, terminated: true };
      lineStart += bytes.length + 1;
      lineNumber += 1;
      pending = [];
      pendingBytes = 0;
      from = newline + 1;
    }
  }
  if (pendingBytes > 0) yield { bytes: Buffer.concat(pending), offsetBytes: lineStart, lineNumber, terminated: false };
}
