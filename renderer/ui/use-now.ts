import { useEffect, useState } from 'react';

/** The local clock, refreshed at `intervalMs`: for ages shown on screen, not for per-tick data. */
export function useNow(intervalMs: number): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return nowMs;
}
