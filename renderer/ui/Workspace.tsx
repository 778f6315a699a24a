import type { DockviewApi, DockviewReadyEvent, IDockviewPanelProps, SerializedDockview } from 'dockview-react';
import { DockviewReact, themeDark } from 'dockview-react';
import type { FunctionComponent } from 'react';
import { useCallback, useRef } from 'react';
import { BacktestPanel } from '../features/backtest/BacktestPanel.tsx';
import { ChainPanel } from '../features/chain/ChainPanel.tsx';
import { ChartsPanel } from '../features/charts/ChartsPanel.tsx';
import { EnginePanel } from '../features/engine/EnginePanel.tsx';
import { EventLogPanel } from '../features/event-log/EventLogPanel.tsx';
import { LadderPanel } from '../features/ladder/LadderPanel.tsx';
import { LimitsPanel } from '../features/limits/LimitsPanel.tsx';
import { OrdersPanel } from '../features/orders/OrdersPanel.tsx';
import { FillsPanel } from '../features/positions/FillsPanel.tsx';
import { PositionsPanel } from '../features/positions/PositionsPanel.tsx';
import { RiskPanel } from '../features/risk/RiskPanel.tsx';
import { SettingsPanel } from '../features/settings/SettingsPanel.tsx';
import { SmilePanel } from '../features/smile/SmilePanel.tsx';
import { StrategyPanel } from '../features/strategy/StrategyPanel.tsx';
import { VenuesPanel } from '../features/venues/VenuesPanel.tsx';
import { clearLayout, loadLayout, saveLayout } from './layout-storage.ts';

interface PanelSpec {
  readonly id: string;
  readonly title: string;
  readonly component: FunctionComponent;
}

/** Every panel the workstation has; each is usable on its own, in any arrangement. */
const PANELS: readonly PanelSpec[] = [
  { id: 'chain', title: 'Chain', component: ChainPanel },
  { id: 'smile', title: 'Smile', component: SmilePanel },
  { id: 'ladder', title: 'Ladder', component: LadderPanel },
  { id: 'strategy', title: 'Strategy', component: StrategyPanel },
  { id: 'risk', title: 'Risk', component: RiskPanel },
  { id: 'charts', title: 'Charts', component: ChartsPanel },
  { id: 'orders', title: 'Orders', component: OrdersPanel },
  { id: 'positions', title: 'Positions', component: PositionsPanel },
  { id: 'fills', title: 'Fills', component: FillsPanel },
  { id: 'limits', title: 'Limits', component: LimitsPanel },
  { id: 'venues', title: 'Venues', component: VenuesPanel },
  { id: 'engine', title: 'Engine', component: EnginePanel },
  { id: 'settings', title: 'Settings', component: SettingsPanel },
  { id: 'event-log', title: 'Event log', component: EventLogPanel },
  { id: 'backtest', title: 'Backtest', component: BacktestPanel },
];

const components: Record<string, FunctionComponent<IDockviewPanelProps>> = Object.fromEntries(
  PANELS.map((panel) => {
    const Component = panel.component;
    return [panel.id, () => <Component />];
  }),
);

function isLayout(value: unknown): value is SerializedDockview {
  if (typeof value !== 'object' || value === null || !('grid' in value) || !('panels' in value)) return false;
  const panels = (value as { panels: unknown }).panels;
  return typeof panels === 'object' && panels !== null && Object.values(panels).every((panel) => PANELS.some((spec) => spec.id === (panel as { contentComponent?: unknown }).contentComponent));
}

function addTab(api: DockviewApi, id: string, referencePanel: string): void {
  const spec = PANELS.find((panel) => panel.id === id);
  if (spec) api.addPanel({ id, component: id, title: spec.title, position: { referencePanel, direction: 'within' } });
}

/**
 * The chain takes most of the screen on the left; on the right the smile with the ladder,
 * strategy, risk and charts as tabs; along the bottom, the order ticket and blotter with
 * positions, fills and limits as tabs, and beside it the event log with the venue, engine and
 * settings panels as tabs. The first panel of each group is the one in front.
 */
function addDefaultLayout(api: DockviewApi): void {
  const width = api.width > 0 ? api.width : 1440;
  const height = api.height > 0 ? api.height : 800;
  api.addPanel({ id: 'chain', component: 'chain', title: 'Chain' });
  api.addPanel({ id: 'smile', component: 'smile', title: 'Smile', position: { referencePanel: 'chain', direction: 'right' }, initialWidth: Math.round(width * 0.36) });
  for (const id of ['ladder', 'strategy', 'risk', 'charts']) addTab(api, id, 'smile');
  api.addPanel({ id: 'orders', component: 'orders', title: 'Orders', position: { direction: 'below' }, initialHeight: Math.max(190, Math.round(height * 0.28)) });
  for (const id of ['positions', 'fills', 'limits']) addTab(api, id, 'orders');
  api.addPanel({ id: 'event-log', component: 'event-log', title: 'Event log', position: { referencePanel: 'orders', direction: 'right' }, initialWidth: Math.round(width * 0.36) });
  for (const id of ['venues', 'engine', 'settings']) addTab(api, id, 'event-log');
  for (const id of ['smile', 'orders', 'event-log']) api.getPanel(id)?.api.setActive();
}

export function Workspace() {
  const apiRef = useRef<DockviewApi | undefined>(undefined);

  const onReady = useCallback((event: DockviewReadyEvent) => {
    apiRef.current = event.api;
    const saved = loadLayout(window.localStorage, isLayout);
    let restored = false;
    if (saved) {
      try {
        event.api.fromJSON(saved);
        restored = true;
      } catch {
        event.api.clear();
      }
    }
    if (!restored) addDefaultLayout(event.api);
    event.api.onDidLayoutChange(() => saveLayout(window.localStorage, event.api.toJSON()));
  }, []);

  const resetLayout = useCallback(() => {
    const api = apiRef.current;
    if (!api) return;
    clearLayout(window.localStorage);
    api.clear();
    addDefaultLayout(api);
  }, []);

  const reopen = useCallback((panel: PanelSpec) => {
    const api = apiRef.current;
    if (!api) return;
    const existing = api.getPanel(panel.id);
    if (existing) existing.api.setActive();
    else api.addPanel({ id: panel.id, component: panel.id, title: panel.title });
  }, []);

  return (
    <div className="workspace">
      <nav className="toolbar" aria-label="Panels">
        <span className="brand">Options Workstation</span>
        {PANELS.map((panel) => (
          <button key={panel.id} type="button" className="button button-quiet" onClick={() => reopen(panel)}>
            {panel.title}
          </button>
        ))}
        <span className="status-spacer" />
        <button type="button" className="button button-quiet" onClick={resetLayout} data-testid="reset-layout">
          Reset layout
        </button>
      </nav>
      <div className="dock-host">
        <DockviewReact components={components} onReady={onReady} theme={themeDark} />
      </div>
    </div>
  );
}
