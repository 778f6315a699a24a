import type { LevelUpdate } from '../marketdata/l2-book.ts';
import type { IndexRow, InstrumentRow, VenueStatus } from '../protocol/index.ts';

/**
 * What a venue adapter tells the engine, in the workstation's own terms: no venue wire format
 * crosses this line. A second venue (a perpetual exchange for hedging, say) implements the same
 * interface.
 */

/** Market data fields a venue's ticker carries; IVs as fractions, Greeks as the venue reports them. */
export interface TickerUpdate {
  readonly instrumentName: string;
  readonly tsMs: number;
  readonly markPrice?: number;
  readonly markIv?: number;
  readonly bidIv?: number;
  readonly askIv?: number;
  readonly lastPrice?: number;
  readonly underlyingPrice?: number;
  readonly delta?: number;
  readonly gamma?: number;
  readonly vegaUsd?: number;
  readonly thetaUsd?: number;
  readonly fundingRate8h?: number;
}

export type VenueEvent =
  | { readonly type: 'StatusChanged'; readonly status: VenueStatus }
  | { readonly type: 'InstrumentsListed'; readonly instruments: readonly InstrumentRow[] }
  | { readonly type: 'BookSnapshot'; readonly instrumentName: string; readonly changeId: number; readonly bids: readonly LevelUpdate[]; readonly asks: readonly LevelUpdate[]; readonly tsMs: number }
  | {
      readonly type: 'BookChanged';
      readonly instrumentName: string;
      readonly prevChangeId: number;
      readonly changeId: number;
      readonly bids: readonly LevelUpdate[];
      readonly asks: readonly LevelUpdate[];
      readonly tsMs: number;
    }
  | { readonly type: 'TickerUpdated'; readonly ticker: TickerUpdate }
  | { readonly type: 'IndexUpdated'; readonly index: IndexRow }
  /** The connection is gone or silent: every book from this venue is stale until resnapshotted. */
  | { readonly type: 'FeedLost'; readonly reason: string };

export interface VenueAdapter {
  readonly venueId: string;
  /** Starts connecting (and reconnecting after any loss) until `close`. */
  start(): void;
  close(): Promise<void>;
  onEvent(listener: (event: VenueEvent) => void): () => void;
  /** Asks for a fresh snapshot of one book (after a gap or a crossed book). */
  resnapshot(instrumentName: string): void;
}
