import type { ColDef, GetRowIdParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useMemo, useState } from 'react';
import { useEngineStore } from '../../stores/engine-store.ts';
import type { LogEntry } from '../../stores/engine-view.ts';
import { gridTheme } from '../../ui/ag-grid.ts';
import { formatClock } from '../../ui/format.ts';

const columns: ColDef<LogEntry>[] = [
  { field: 'tsMs', headerName: 'Time', width: 110, valueFormatter: (params) => formatClock(params.value as number), sort: 'desc' },
  { field: 'kind', headerName: 'Kind', width: 90, cellClass: (params) => `log-${String(params.value)}` },
  { field: 'text', headerName: 'Event', flex: 1 },
];

const getRowId = (params: GetRowIdParams<LogEntry>): string => String(params.data.id);

/** Commands, answers, engine and link events, newest first, searchable. */
export function EventLogPanel() {
  const log = useEngineStore((view) => view.log);
  const [filter, setFilter] = useState('');
  const defaultColDef = useMemo<ColDef>(() => ({ resizable: true, sortable: true }), []);
  return (
    <div className="panel-column">
      <input className="search" placeholder="Search events…" value={filter} onChange={(event) => setFilter(event.target.value)} data-testid="event-log-search" />
      <div className="grid-host" data-testid="event-log">
        <AgGridReact<LogEntry>
          theme={gridTheme}
          rowData={log as LogEntry[]}
          columnDefs={columns}
          defaultColDef={defaultColDef}
          getRowId={getRowId}
          quickFilterText={filter}
          suppressCellFocus
        />
      </div>
    </div>
  );
}
