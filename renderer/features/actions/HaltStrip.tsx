import { useState } from 'react';
import type { KillSwitchView } from '../../../core/protocol/index.ts';
import { sendCommand } from '../../link/connection.ts';
import { CommandOutcome } from '../strategy/CommandOutcome.tsx';
import { acknowledgeCommand, haltDescription, HALT_ACKNOWLEDGEMENT } from './action-bar-view.ts';

/**
 * Shown while the kill switch is latched: why, by whom, what is still live; and the way out, which
 * needs the trader to say positions and orders were checked. Strategies come back PAUSED.
 */
export function HaltStrip({ kill, linkOpen }: { readonly kill: KillSwitchView; readonly linkOpen: boolean }) {
  const [checked, setChecked] = useState(false);
  const [commandId, setCommandId] = useState<string | undefined>(undefined);
  const command = acknowledgeCommand(checked);

  return (
    <div className="halt-strip" role="alert" data-testid="halt-ack">
      <span className="halt-badge" data-testid="halt-status">
        HALTED
      </span>
      <span className="halt-reason" data-testid="halt-reason">
        {haltDescription(kill)}
      </span>
      <span className="status-spacer" />
      <label className="halt-check">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} data-testid="halt-ack-check" /> {HALT_ACKNOWLEDGEMENT}
      </label>
      <button
        type="button"
        className="button"
        disabled={!linkOpen || !command}
        title={command ? 'Release the halt: strategies come back PAUSED, resume each in the Strategy panel' : 'Tick the box first'}
        onClick={() => {
          if (command) setCommandId(sendCommand(command));
        }}
        data-testid="halt-ack-confirm"
      >
        Acknowledge &amp; resume
      </button>
      <CommandOutcome commandId={commandId} testId="halt-ack-outcome" />
    </div>
  );
}
