import { useEffect, useState } from 'react';
import { useEngineStore } from '../stores/engine-store.ts';

/**
 * The local clock for ages shown on screen, refreshed every `intervalMs`. Components also
 * re-render when data arrives; the clock then reads at least the arrival time, so an age
 * computed from fresh data is never negative.
 */
export function useNow(intervalMs: number): number {
  const [tickedMs, setTickedMs] = useState(() => Date.now());
  const receivedTsMs = useEngineStore((view) => view.lastReceivedTsMs);
  useEffect(() => {
    const timer = setInterval(() => setTickedMs(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return Math.max(tickedMs, receivedTsMs);
}
