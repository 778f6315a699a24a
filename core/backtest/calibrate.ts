import { readRecording } from '../venues/recorder/reader.ts';
import type { CalibrationOptions, CalibrationResult } from './calibration.ts';
import { CalibrationCollector } from './calibration.ts';
import type { DecodeSink } from './frame-decoder.ts';
import { FrameDecoder } from './frame-decoder.ts';

/** Calibration of a recording on disk: the I/O edge around CalibrationCollector (calibration.ts). */
export async function calibrateRecording(path: string, options: Partial<CalibrationOptions> = {}): Promise<CalibrationResult> {
  const collector = new CalibrationCollector(options);
  const decoder = new FrameDecoder('deribit');
  const sink: DecodeSink = { event: (event) => collector.event(event), trade: (trade) => collector.trade(trade) };
  for await (const batch of readRecording(path)) for (const line of batch.lines) decoder.decode(line, sink);
  return collector.result();
}
