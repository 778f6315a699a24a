import { useEngineStore } from '../../stores/engine-store.ts';
import { formatClock } from '../../ui/format.ts';

const instrumentCounts = new WeakMap<object, number>();

/** How many instruments are listed, counted once per listing (the selector runs on every store change). */
function instrumentCountOf(instruments: Readonly<Record<string, unknown>>): number {
  let count = instrumentCounts.get(instruments);
  if (count === undefined) instrumentCounts.set(instruments, (count = Object.keys(instruments).length));
  return count;
}

/** Venue connections; when there is none, says how to get one. */
export function VenuesPanel() {
  const venues = useEngineStore((view) => view.state?.venues);
  const instrumentCount = useEngineStore((view) => (view.state ? instrumentCountOf(view.state.instruments) : 0));
  if (!venues || venues.length === 0) {
    return (
      <div className="panel-empty" data-testid="venues-empty">
        <h3>No venue connected</h3>
        <p>The engine is running without a venue, so there are no books, quotes or positions to show.</p>
        <p>
          Start the workstation without <code>--no-sim</code> to trade against the embedded Deribit-compatible simulator, or configure a
          venue as the README’s “Configuring a venue” section describes.
        </p>
      </div>
    );
  }
  return (
    <div className="panel-body">
      <table className="kv-table" data-testid="venues-table">
        <tbody>
          {venues.map((venue) => (
            <tr key={venue.venueId}>
              <th>{venue.displayName}</th>
              <td className={venue.state === 'connected' ? 'level-ok' : 'level-bad'}>
                {venue.state} since {formatClock(venue.sinceTsMs)}
              </td>
              <td className="muted">{venue.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{instrumentCount} instruments listed.</p>
    </div>
  );
}
