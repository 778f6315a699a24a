import type { GridApi, GridOptions } from 'ag-grid-community';
import { createGrid } from 'ag-grid-community';
import type { RefObject } from 'react';
import { useEffect, useRef } from 'react';

/**
 * AG Grid's plain-DOM grid in `host`, created once with `options` (module constants: the grid is
 * not re-created when they change) and destroyed on unmount. Rows arrive through a feed
 * (grid-feed.ts), not through React: effects declared after this hook in the same component find
 * the grid in the returned ref.
 */
export function useBlotterGrid<R>(host: RefObject<HTMLDivElement | null>, options: GridOptions<R>): RefObject<GridApi<R> | undefined> {
  const api = useRef<GridApi<R> | undefined>(undefined);
  useEffect(() => {
    if (!host.current) return undefined;
    const created = createGrid<R>(host.current, options);
    api.current = created;
    return () => {
      api.current = undefined;
      created.destroy();
    };
    // Created once: options are constants by contract.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return api;
}
