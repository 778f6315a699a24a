import { ActionBar } from './features/actions/ActionBar.tsx';
import { EngineBanner, LimitBreachBanner } from './features/engine/EngineBanner.tsx';
import { StatusBar } from './features/status-bar/StatusBar.tsx';
import { Workspace } from './ui/Workspace.tsx';

export function App() {
  return (
    <div className="app">
      <EngineBanner />
      <LimitBreachBanner />
      <ActionBar />
      <Workspace />
      <StatusBar />
    </div>
  );
}

export function LinkUnavailable({ reason }: { readonly reason: string }) {
  return (
    <div className="app app-message" role="alert" data-testid="link-unavailable">
      <h2>Cannot reach the engine</h2>
      <p>{reason}</p>
    </div>
  );
}
