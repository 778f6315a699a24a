import { useEngineStore } from '../../stores/engine-store.ts';
import { formatClock } from '../../ui/format.ts';

/** Venue connections; until one is configured, says what the trader can do about it. */
export function VenuesPanel() {
  const venues = useEngineStore((view) => view.state?.venues);
  if (!venues || venues.length === 0) {
    return (
      <div className="panel-empty" data-testid="venues-empty">
        <h3>No venue connected</h3>
        <p>
          The engine is running and streaming its health, but it has no venue to trade on yet, so there are no books, quotes or
          positions to show.
        </p>
        <p>
          This build ships the engine, the engine link and the workstation shell. Venue connectivity (the embedded Deribit-compatible
          simulator by default, Deribit testnet or production by configuration) is the next capability to land; the README’s
          “Configuring a venue” section describes how it will be set up.
        </p>
        <p>Meanwhile: ping the engine from the Engine panel, or watch the event log.</p>
      </div>
    );
  }
  return (
    <div className="panel-body">
      <table className="kv-table">
        <tbody>
          {venues.map((venue) => (
            <tr key={venue.venueId}>
              <th>{venue.displayName}</th>
              <td>
                {venue.state} since {formatClock(venue.sinceTsMs)} — {venue.detail}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
