import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../model/clock.ts';
import { SimVenue } from '../../sim/venue.ts';
import type { RecordLine } from './format.ts';
import { inboundLine, parseRecordLine } from './format.ts';
import { readRecording } from './reader.ts';
import { VenueRecorder } from './recorder.ts';
import { RecordingWriter } from './writer.ts';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 10, 21, 23, 59, 59);
const HEADER = { venue: 'deribit', source: 'simulator' as const, url: 'ws://test', currencies: ['BTC'], createdTsMs: START_MS };
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'rec-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function readAll(path: string): Promise<RecordLine[]> {
  const lines: RecordLine[] = [];
  for await (const batch of readRecording(path)) lines.push(...batch.lines);
  return lines;
}

describe('recording format', () => {
  it('embeds frames verbatim and reads them back without reparsing', () => {
    const frame = '{"jsonrpc":"2.0","method":"subscription","params":{"channel":"x","data":{"a":1}}}';
    const parsed = parseRecordLine(inboundLine(1234, frame).trimEnd());
    expect(parsed).toEqual({ ok: true, line: { kind: 'in', receivedTsMs: 1234, text: frame } });
  });

  it('stores a multi-line frame as a string, and refuses lines that are not ours', () => {
    const frame = '{\n"a": 1}';
    expect(parseRecordLine(inboundLine(5, frame).trimEnd())).toEqual({ ok: true, line: { kind: 'in', receivedTsMs: 5, text: frame } });
    expect(parseRecordLine('{"foo":1}').ok).toBe(false);
    expect(parseRecordLine('nonsense').ok).toBe(false);
  });
});

describe('RecordingWriter', () => {
  it('rotates by UTC day, repeats sticky lines at the top of each file, and reads back in order', async () => {
    const dir = tempDir();
    const writer = new RecordingWriter({ directory: dir, prefix: 'sim', header: HEADER, blockChars: 64 });
    writer.outbound(START_MS, { id: 1, method: 'public/get_instruments', params: { currency: 'BTC' } }, true);
    writer.inbound(START_MS, '{"jsonrpc":"2.0","id":1,"result":[]}');
    writer.keepSticky(START_MS, '{"jsonrpc":"2.0","id":1,"result":[]}');
    for (let i = 0; i < 50; i++) writer.inbound(START_MS + i * 100, `{"n":${i}}`);
    await writer.close();
    expect(writer.files.map((f) => f.day)).toEqual(['2026-11-21', '2026-11-22']);
    const first = await readAll(writer.files[0]!.path);
    const second = await readAll(writer.files[1]!.path);
    expect(first.length + second.length).toBe(52 + 2);
    expect(second[0]).toMatchObject({ kind: 'out', method: 'public/get_instruments' });
    expect(second[1]).toMatchObject({ kind: 'in', text: '{"jsonrpc":"2.0","id":1,"result":[]}' });
    const all = await readAll(dir);
    expect(all.filter((l) => l.kind === 'in' && l.text.startsWith('{"n"')).map((l) => (l.kind === 'in' ? JSON.parse(l.text).n : -1))).toEqual([...Array(50).keys()]);
    expect(START_MS + 49 * 100 > START_MS - (START_MS % DAY_MS) + DAY_MS).toBe(true);
  });

  it('lets a producer faster than gzip wait for the compressor instead of piling blocks up in memory', async () => {
    const dir = tempDir();
    const writer = new RecordingWriter({ directory: dir, prefix: 'fast', header: HEADER, blockChars: 4096 });
    let waited = 0;
    for (let i = 0; i < 20_000; i++) {
      writer.inbound(START_MS - 20_000 + i, `{"n":${i},"pad":"${'y'.repeat(i % 200)}"}`);
      if (writer.backlog.compressorBytes > 64 * 1024) {
        waited += 1;
        await writer.drained();
        // Taken in: back under the compressor's high-water mark (16 KiB).
        expect(writer.backlog.compressorBytes).toBeLessThanOrEqual(16 * 1024);
      }
    }
    expect(waited).toBeGreaterThan(0);
    await writer.close();
    expect(await writer.drained()).toBeUndefined();
    const lines = await readAll(writer.files[0]!.path);
    expect(lines.filter((l) => l.kind === 'in')).toHaveLength(20_000);
  });

  it('reads a file cut short by a crash up to the cut, and refuses a file that is not a recording', async () => {
    const dir = tempDir();
    const writer = new RecordingWriter({ directory: dir, prefix: 'cut', header: HEADER });
    for (let i = 0; i < 2000; i++) writer.inbound(START_MS - 10_000 + i, `{"n":${i},"pad":"${'x'.repeat(i % 50)}"}`);
    await writer.close();
    const path = writer.files[0]!.path;
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const lines = await readAll(path);
    expect(lines.length).toBeGreaterThan(100);
    expect(lines.length).toBeLessThan(2000);
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, '{"hello":1}\n');
    await expect(readAll(other)).rejects.toThrow(/not a recording header/);
    expect(gunzipSync(readFileSync(writer.files[0]!.path), { finishFlush: 2 }).toString().split('\n')[0]).toContain('"format":"ows-recording"');
  });
});

describe('VenueRecorder', () => {
  it('records the simulator: instruments, books, tickers, trades and the index, with receive times', async () => {
    const dir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 21, 12));
    const venue = new SimVenue({ seed: 7, clock, currencies: ['BTC'], schedule: { dailies: 1, weeklies: 0, monthlies: 0, quarterlies: 0 } });
    const port = await venue.listen(0);
    const writer = new RecordingWriter({ directory: dir, prefix: 'sim', header: HEADER });
    const recorder = new VenueRecorder({ url: `ws://127.0.0.1:${port}/ws/api/v2`, currencies: ['BTC'], writer, clock });
    try {
      await recorder.start();
      for (let i = 0; i < 50; i++) {
        clock.advance(100);
        venue.step();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await recorder.stop();
      await venue.close();
      await writer.close();
    }
    const lines = await readAll(dir);
    const texts = lines.flatMap((l) => (l.kind === 'in' ? [l.text] : []));
    expect(lines.some((l) => l.kind === 'out' && l.method === 'public/get_instruments')).toBe(true);
    expect(texts.some((t) => t.includes('"channel":"book.'))).toBe(true);
    expect(texts.some((t) => t.includes('"channel":"ticker.'))).toBe(true);
    expect(texts.some((t) => t.includes('"channel":"deribit_price_index.btc_usd"'))).toBe(true);
    expect(recorder.stats.instruments).toBeGreaterThan(3);
    expect(recorder.stats.frames).toBe(texts.length);
  });
});
