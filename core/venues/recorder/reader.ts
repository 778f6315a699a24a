import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { RecordingHeader, RecordLine } from './format.ts';
import { parseHeader, parseRecordLine } from './format.ts';

/**
 * Reads recordings back: a file, or a directory of daily files in name (= day) order. Lines are
 * schema-checked (format.ts); a line that fails is counted and skipped, never fatal, and a file
 * whose header is not ours is refused.
 */

export interface RecordingBatch {
  readonly header: RecordingHeader;
  readonly lines: readonly RecordLine[];
}

export interface ReadStats {
  lines: number;
  rejected: number;
  compressedBytes: number;
  readonly rejections: string[];
}

/** The files of a recording: the path itself, or the recording files of a directory, sorted. */
export function recordingFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.jsonl.gz') || name.endsWith('.jsonl'))
    .sort()
    .map((name) => join(path, name));
}

/** Total compressed size of a recording's files (for progress). */
export function recordingBytes(path: string): number {
  return recordingFiles(path).reduce((sum, file) => sum + statSync(file).size, 0);
}

/** Batches of lines, in file order, each batch from one decompressed chunk. */
export async function* readRecording(path: string, stats: ReadStats = { lines: 0, rejected: 0, compressedBytes: 0, rejections: [] }): AsyncGenerator<RecordingBatch> {
  for (const file of recordingFiles(path)) {
    const raw = createReadStream(file, { highWaterMark: 1 << 20 });
    raw.on('data', (chunk) => {
      stats.compressedBytes += chunk.length;
    });
    const source = file.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
    let header: RecordingHeader | undefined;
    let carry = '';
    let truncated = false;
    const chunks = (async function* () {
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        // A file cut short by a crash: what was compressed before the cut is still read.
        if ((error as { code?: string }).code !== 'Z_BUF_ERROR') throw error;
        truncated = true;
      }
    })();
    for await (const chunk of chunks) {
      const text = carry + chunk.toString('utf8');
      const lastBreak = text.lastIndexOf('\n');
      if (lastBreak < 0) {
        carry = text;
        continue;
      }
      carry = text.slice(lastBreak + 1);
      const lines: RecordLine[] = [];
      let start = 0;
      while (start <= lastBreak) {
        const end = text.indexOf('\n', start);
        const line = text.slice(start, end);
        start = end + 1;
        if (line.length === 0) continue;
        if (!header) {
          const parsed = parseHeader(line);
          if (!parsed.ok) {
            raw.destroy();
            throw new Error(`${file}: ${parsed.reason}`);
          }
          header = parsed.header;
          continue;
        }
        stats.lines += 1;
        const parsed = parseRecordLine(line);
        if (parsed.ok) lines.push(parsed.line);
        else {
          stats.rejected += 1;
          if (stats.rejections.length < 20) stats.rejections.push(`${file}: ${parsed.reason}`);
        }
      }
      if (header && lines.length > 0) yield { header, lines };
    }
    // A file cut short (a crash before close) may end mid-line: that last partial line is dropped.
    if (carry.length > 0 || truncated) {
      stats.rejected += 1;
      if (stats.rejections.length < 20) stats.rejections.push(`${file}: truncated last line`);
    }
    if (!header) throw new Error(`${file}: empty recording`);
  }
}
