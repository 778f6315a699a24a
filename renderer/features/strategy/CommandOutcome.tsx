import { useEngineStore } from '../../stores/engine-store.ts';
import { commandOutcome } from '../../stores/engine-view.ts';

/**
 * The engine's answer to one command a control sent: "sending…", then accepted or rejected with
 * the reason. Selected as primitives: a selector returning a fresh object would re-render forever.
 */
export function CommandOutcome({ commandId, testId, idle = '' }: { readonly commandId: string | undefined; readonly testId?: string; readonly idle?: string }) {
  const state = useEngineStore((view) => commandOutcome(view, commandId).state);
  const text = useEngineStore((view) => commandOutcome(view, commandId).text);
  return (
    <span className={`command-outcome outcome-${state}`} data-testid={testId} role="status">
      {state === 'pending' ? 'sending…' : state === 'none' ? idle : (text ?? '')}
    </span>
  );
}
