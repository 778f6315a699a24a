import { describe, expect, it } from 'vitest';
import type { ActivityRow } from '../../../core/protocol/index.ts';
import type { LogEntry } from '../../stores/engine-view.ts';
import { engineRow, EventLogMerger, levelOfKind, passesLevel, windowRow } from './event-log-rows.ts';

const entry = (id: number, tsMs: number, kind: LogEntry['kind'], text: string): LogEntry => ({ id, tsMs, kind, text });
const activity = (id: string, tsMs: number, category: ActivityRow['category'], level: ActivityRow['level'], message: string): ActivityRow => ({ id, tsMs, category, level, message });

describe('event log rows', () => {
  it('gives the window entries a level and the engine clock', () => {
    expect(windowRow(entry(3, 1000, 'rejected', 'PlaceOrder rejected: collar'), 250)).toEqual({ id: 'w3', tsMs: 1250, source: 'window', category: 'rejected', level: 'error', text: 'PlaceOrder rejected: collar' });
    expect(windowRow({ ...entry(4, 1, 'link', 'engine link open'), level: 'info' }, 0).level).toBe('info');
    expect(levelOfKind('link')).toBe('warn');
    expect(levelOfKind('engine')).toBe('warn');
    expect(levelOfKind('accepted')).toBe('info');
    expect(levelOfKind('command')).toBe('info');
  });

  it('keeps the engine activity its category and level', () => {
    expect(engineRow(activity('s.1', 5, 'limit', 'error', 'BTC vega breached'))).toEqual({ id: 'es.1', tsMs: 5, source: 'engine', category: 'limit', level: 'error', text: 'BTC vega breached' });
  });

  it('merges both streams newest first, later arrivals first on equal times', () => {
    const merger = new EventLogMerger();
    const log = [entry(1, 100, 'command', 'KillSwitch sent'), entry(2, 300, 'accepted', 'KillSwitch accepted')];
    const engine = { 's.1': activity('s.1', 200, 'kill', 'error', 'kill switch triggered'), 's.2': activity('s.2', 300, 'strategy', 'warn', 'BTC HALTED') };
    expect(merger.rows(log, engine, 0).map((row) => row.id)).toEqual(['es.2', 'w2', 'es.1', 'w1']);
    expect(merger.rows([], undefined, 0)).toEqual([]);
  });

  it('filters by level', () => {
    expect(passesLevel('info', 'all')).toBe(true);
    expect(passesLevel('info', 'warn')).toBe(false);
    expect(passesLevel('warn', 'warn')).toBe(true);
    expect(passesLevel('error', 'warn')).toBe(true);
    expect(passesLevel('warn', 'error')).toBe(false);
    const merger = new EventLogMerger();
    const rows = merger.rows([entry(1, 1, 'command', 'x'), entry(2, 2, 'rejected', 'y')], { a: activity('a', 3, 'fill', 'info', 'filled'), b: activity('b', 4, 'limit', 'warn', 'near') }, 0, 'warn');
    expect(rows.map((row) => row.id)).toEqual(['eb', 'w2']);
  });

  it('reuses the rows of unchanged entries, and shifts them again when the clock offset moves', () => {
    const merger = new EventLogMerger();
    const log = [entry(1, 100, 'command', 'a')];
    const engine = { x: activity('x', 50, 'venue', 'info', 'connected') };
    const first = merger.rows(log, engine, 0);
    const second = merger.rows([...log, entry(2, 200, 'accepted', 'b')], { ...engine }, 0);
    expect(second[1]).toBe(first[0]);
    expect(second[2]).toBe(first[1]);
    const shifted = merger.rows(log, engine, 40);
    expect(shifted[0]?.tsMs).toBe(140);
    expect(shifted[1]).toBe(first[1]);
  });
});
