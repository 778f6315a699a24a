import type { ColDef, GetRowIdParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useMemo, useState } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import { gridTheme } from '../../ui/ag-grid.ts';
import { formatClock } from '../../ui/format.ts';
import type { EventLogRow, LevelFilter } from './event-log-rows.ts';
import { EventLogMerger } from './event-log-rows.ts';

const columns: ColDef<EventLogRow>[] = [
  { field: 'tsMs', headerName: 'Time', width: 110, valueFormatter: (params) => formatClock(params.value as number), sort: 'desc', getQuickFilterText: (params) => formatClock(params.value as number) },
  { field: 'source', headerName: 'From', width: 78 },
  { field: 'category', headerName: 'Kind', width: 88, cellClass: (params) => `log-${String(params.value)}` },
  { field: 'level', headerName: 'Level', width: 66, cellClass: (params) => `log-level-${String(params.value)}` },
  { field: 'text', headerName: 'Event', flex: 1, tooltipField: 'text' },
];

const getRowId = (params: GetRowIdParams<EventLogRow>): string => params.data.id;
const rowClass = (params: { data?: EventLogRow }): string => (params.data ? `log-row-${params.data.level}` : '');

/**
 * Commands, answers, engine and link events of this window, merged with the engine's activity
 * (breaches, kill switch, strategy changes, overrides, hedges, fills, venue events), newest first,
 * searchable and filterable by level.
 */
export function EventLogPanel() {
  const log = useEngineStore((view) => view.log);
  const activity = useEngineStore((view) => view.state?.activity);
  const clockOffsetMs = useEngineStore((view) => view.clockOffsetMs);
  const [filter, setFilter] = useState('');
  const [level, setLevel] = useState<LevelFilter>('all');
  const [merger] = useState(() => new EventLogMerger());
  const rows = useMemo(() => merger.rows(log, activity, clockOffsetMs, level), [merger, log, activity, clockOffsetMs, level]);
  const defaultColDef = useMemo<ColDef>(() => ({ resizable: true, sortable: true }), []);
  return (
    <div className="panel-column">
      <div className="event-log-tools">
        <input className="search" placeholder="Search events…" value={filter} onChange={(event) => setFilter(event.target.value)} data-testid="event-log-search" />
        <select className="field-input" value={level} onChange={(event) => setLevel(event.target.value as LevelFilter)} aria-label="Level" data-testid="event-log-level">
          <option value="all">all levels</option>
          <option value="warn">warnings and errors</option>
          <option value="error">errors only</option>
        </select>
      </div>
      <div className="grid-host" data-testid="event-log">
        <AgGridReact<EventLogRow>
          theme={gridTheme}
          rowData={rows as EventLogRow[]}
          columnDefs={columns}
          defaultColDef={defaultColDef}
          getRowId={getRowId}
          getRowClass={rowClass}
          quickFilterText={filter}
          suppressCellFocus
        />
      </div>
    </div>
  );
}
