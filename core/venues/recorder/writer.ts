import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, constants as zlibConstants } from 'node:zlib';
import type { Gzip } from 'node:zlib';
import type { RecordingHeader } from './format.ts';
import { headerLine, inboundLine, outboundLine, utcDay } from './format.ts';

/**
 * Appends recording lines to gzip files, one per UTC day (by the frames' receive time). The hot
 * path (`inbound`) builds one string and pushes it on an array; lines are handed to the gzip
 * stream in blocks, whose compression runs on libuv's thread pool, off the event loop.
 *
 * Lines marked sticky (the instruments listing and the request for it) are written again at the
 * top of every new day's file, so that each file can be replayed on its own.
 */

export interface RecordingWriterOptions {
  readonly directory: string;
  /** File names are `${prefix}-YYYY-MM-DD.jsonl.gz` (`-2`, `-3`… when the name is taken). */
  readonly prefix: string;
  /** The header of every file; `day` is filled in per file. */
  readonly header: Omit<RecordingHeader, 'day' | 'type' | 'format' | 'version'>;
  /** Characters buffered before a block goes to the compressor. */
  readonly blockChars?: number;
  readonly gzipLevel?: number;
}

export interface RecordingFileInfo {
  readonly path: string;
  readonly day: string;
}

export class RecordingWriter {
  readonly #options: RecordingWriterOptions;
  readonly #blockChars: number;
  readonly #sticky: string[] = [];
  readonly #files: RecordingFileInfo[] = [];
  #pending: string[] = [];
  #pendingChars = 0;
  #day = -1;
  #gzip: Gzip | undefined;
  #file: WriteStream | undefined;
  #closing: Promise<void>[] = [];
  #lines = 0;
  #rawChars = 0;

  constructor(options: RecordingWriterOptions) {
    this.#options = options;
    this.#blockChars = options.blockChars ?? 256 * 1024;
    mkdirSync(options.directory, { recursive: true });
  }

  get files(): readonly RecordingFileInfo[] {
    return this.#files;
  }

  /** Lines and uncompressed characters written so far. */
  get stats(): { readonly lines: number; readonly rawChars: number } {
    return { lines: this.#lines, rawChars: this.#rawChars };
  }

  /** One frame as received. The hot path: no parsing, no I/O. */
  inbound(receivedTsMs: number, text: string, sticky = false): void {
    this.#append(receivedTsMs, inboundLine(receivedTsMs, text), sticky);
  }

  outbound(sentTsMs: number, request: { readonly id?: number; readonly method: string; readonly params?: unknown }, sticky = false): void {
    this.#append(sentTsMs, outboundLine(sentTsMs, request), sticky);
  }

  /** Keeps an inbound line already written (an answer to a sticky request) for the next days' files. */
  keepSticky(receivedTsMs: number, text: string): void {
    this.#sticky.push(inboundLine(receivedTsMs, text));
  }

  #append(tsMs: number, line: string, sticky: boolean): void {
    const day = Math.floor(tsMs / 86_400_000);
    if (day !== this.#day) this.#rotate(day, tsMs);
    if (sticky) this.#sticky.push(line);
    this.#pending.push(line);
    this.#pendingChars += line.length;
    this.#lines += 1;
    this.#rawChars += line.length;
    if (this.#pendingChars >= this.#blockChars) this.flush();
  }

  /** Characters and bytes handed over but not yet compressed: lines still buffered here, plus the compressor's input queue. */
  get backlog(): { readonly pendingChars: number; readonly compressorBytes: number } {
    return { pendingChars: this.#pendingChars, compressorBytes: this.#gzip?.writableLength ?? 0 };
  }

  /**
   * Resolves once the compressor has taken in what it was handed (its queue is back under its
   * high-water mark, the file keeping up behind it). The live recorder never waits here: the
   * market's rate is far below gzip's. A producer faster than gzip (a recording made on the
   * simulator's accelerated clock) awaits it between steps, or blocks pile up in memory.
   */
  drained(): Promise<void> {
    const gzip = this.#gzip;
    if (!gzip?.writableNeedDrain) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (error?: Error): void => {
        gzip.off('drain', done);
        gzip.off('close', done);
        gzip.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      gzip.on('drain', done);
      gzip.on('close', done);
      gzip.on('error', done);
    });
  }

  /** Hands buffered lines to the compressor (they reach the disk asynchronously). */
  flush(): void {
    if (this.#pending.length === 0 || !this.#gzip) return;
    this.#gzip.write(this.#pending.join(''));
    this.#pending = [];
    this.#pendingChars = 0;
  }

  #rotate(day: number, tsMs: number): void {
    if (this.#gzip) this.#closing.push(this.#finish());
    this.#day = day;
    const dayText = utcDay(tsMs);
    const { directory, prefix } = this.#options;
    let path = join(directory, `${prefix}-${dayText}.jsonl.gz`);
    for (let n = 2; existsSync(path); n++) path = join(directory, `${prefix}-${dayText}-${n}.jsonl.gz`);
    const gzip = createGzip({ level: this.#options.gzipLevel ?? 6, flush: zlibConstants.Z_NO_FLUSH });
    const file = createWriteStream(path);
    gzip.pipe(file);
    this.#gzip = gzip;
    this.#file = file;
    this.#files.push({ path, day: dayText });
    const header = headerLine({ type: 'header', format: 'ows-recording', version: 1, ...this.#options.header, day: dayText });
    this.#pending.push(header, ...this.#sticky);
    this.#pendingChars += header.length;
  }

  /** Flushes the current file and closes it (the buffered lines first). */
  #finish(): Promise<void> {
    this.flush();
    const gzip = this.#gzip;
    const file = this.#file;
    this.#gzip = undefined;
    this.#file = undefined;
    if (!gzip || !file) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      file.once('finish', () => resolve());
      file.once('error', reject);
      gzip.end();
    });
  }

  async close(): Promise<void> {
    this.#closing.push(this.#finish());
    await Promise.all(this.#closing);
    this.#closing = [];
  }
}
