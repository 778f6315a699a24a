import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sampleRun } from '../core/backtest/fixtures/sample-run.ts';
import { buildReport } from '../core/backtest/report.ts';
import { parseReportText } from '../renderer/features/backtest/report-schema.ts';

/**
 * The backtest writes report.json (core/backtest/report.ts) and the workstation's Backtest panel
 * reads it with its own schema (the renderer may not import core/backtest). This keeps the two in
 * step: the checked-in fixture was written by the backtest, and a fresh report must read too.
 */
describe('backtest report ↔ Backtest panel', () => {
  it('reads the report the backtest writes', () => {
    const report = buildReport(sampleRun, 'panel');
    const parsed = parseReportText(JSON.stringify(report));
    expect(parsed.ok ? 'ok' : parsed).toBe('ok');
    const fixture = parseReportText(readFileSync(new URL('../renderer/features/backtest/fixtures/report.json', import.meta.url), 'utf8'));
    expect(fixture.ok ? 'ok' : fixture).toBe('ok');
  });
});
