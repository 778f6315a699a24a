import { useEffect, useMemo, useRef, useState } from 'react';
import type { BookRow, InstrumentRow } from '../../../core/protocol/index.ts';
import { sendCommand } from '../../link/connection.ts';
import { useEngineStore } from '../../stores/engine-store.ts';
import { commandOutcome } from '../../stores/engine-view.ts';
import { useSelectionStore } from '../../stores/selection-store.ts';
import { formatAmount, formatClock } from '../../ui/format.ts';
import { amountUnit } from '../orders/order-ticket.ts';
import { CommandOutcome } from '../strategy/CommandOutcome.tsx';
import type { LadderDraft, LadderMarker, LadderRow } from './ladder-view.ts';
import { buildLadder, checkDraft, offLadderText } from './ladder-view.ts';
import './ladder.css';

const MARKER_LABELS: Readonly<Record<LadderMarker, string>> = { theo: 'theo', mark: 'mark', last: 'last', 'our-bid': 'q bid', 'our-ask': 'q ask' };
const MARKER_TITLES: Readonly<Record<LadderMarker, string>> = {
  theo: 'Our theoretical value',
  mark: 'The venue’s mark price',
  last: 'The last trade',
  'our-bid': 'The bid the strategy wants to quote',
  'our-ask': 'The ask the strategy wants to quote',
};

/**
 * The price ladder of the selected instrument: one row per tick around the touch, the venue's top
 * of book, our working orders at their prices, and where theo, the strategy's quotes, the mark and
 * the last trade fall. A click on the bid side drafts a buy at that price, on the ask side a sell;
 * the draft is sent to the pre-trade checks (CheckOrder) at once, and Place sends it (PlaceOrder).
 * Selecting an instrument asks the engine to publish its depth (WatchBook); until it arrives, the
 * ladder shows the touch.
 */
export function LadderPanel() {
  const instrumentName = useSelectionStore((selection) => selection.instrumentName);
  const instrument = useEngineStore((view) => (instrumentName ? view.state?.instruments[instrumentName] : undefined));
  if (!instrumentName || !instrument) {
    return (
      <div className="panel-empty" data-testid="ladder-panel">
        <span data-testid="ladder-empty">{instrumentName ? `Waiting for ${instrumentName}…` : 'Select an instrument in the chain: its price ladder shows here.'}</span>
      </div>
    );
  }
  return <InstrumentLadder key={instrument.instrumentName} instrument={instrument} />;
}

function InstrumentLadder({ instrument }: { readonly instrument: InstrumentRow }) {
  const name = instrument.instrumentName;
  const quote = useEngineStore((view) => view.state?.quotes[name]);
  const theo = useEngineStore((view) => view.state?.theos[name]);
  const orders = useEngineStore((view) => view.state?.orders);
  const positionSize = useEngineStore((view) => view.state?.positions[name]?.size);
  const linkOpen = useEngineStore((view) => view.link.state === 'open');
  const book = useEngineStore((view) => view.state?.books[name]);
  useEffect(() => {
    if (linkOpen) sendCommand({ type: 'WatchBook', instrumentName: name });
  }, [linkOpen, name]);
  const orderList = useMemo(() => Object.values(orders ?? {}), [orders]);
  const ladder = useMemo(() => buildLadder({ instrument, quote, theo, orders: orderList, book }), [instrument, quote, theo, orderList, book]);

  const [draft, setDraft] = useState<LadderDraft | undefined>(undefined);
  const [amountText, setAmountText] = useState(String(instrument.minTradeAmount));
  const [postOnly, setPostOnly] = useState(true);
  const [check, setCheck] = useState<{ readonly commandId: string; readonly key: string } | undefined>(undefined);
  const [placeId, setPlaceId] = useState<string | undefined>(undefined);
  const [cancelId, setCancelId] = useState<string | undefined>(undefined);
  const draftCheck = draft ? checkDraft(instrument, draft, amountText) : undefined;
  const draftKey = draft && draftCheck?.ok ? `${draft.side}|${draft.price}|${draftCheck.amount}|${postOnly}` : undefined;
  const checkState = useEngineStore((view) => commandOutcome(view, check?.commandId).state);
  const checkText = useEngineStore((view) => commandOutcome(view, check?.commandId).text);
  const checkCurrent = check !== undefined && check.key === draftKey;
  const canPlace = linkOpen && draft !== undefined && draftCheck?.ok === true && checkCurrent && checkState === 'accepted';

  const sendCheck = (next: LadderDraft, amount: string, post: boolean): void => {
    const checked = checkDraft(instrument, next, amount);
    if (!checked.ok) return setCheck(undefined);
    const commandId = sendCommand({ type: 'CheckOrder', instrumentName: name, side: next.side, price: next.price, amount: checked.amount, postOnly: post, reduceOnly: false });
    setCheck({ commandId, key: `${next.side}|${next.price}|${checked.amount}|${post}` });
  };
  const pick = (side: 'buy' | 'sell', price: number): void => {
    const next = { side, price };
    setDraft(next);
    setPlaceId(undefined);
    sendCheck(next, amountText, postOnly);
  };
  // A changed amount or post-only flag is another order: its check must be asked again.
  const editAmount = (text: string): void => {
    setAmountText(text);
    setCheck(undefined);
  };
  const editPostOnly = (value: boolean): void => {
    setPostOnly(value);
    setCheck(undefined);
  };
  const place = (): void => {
    if (!canPlace || !draft || !draftCheck?.ok) return;
    setPlaceId(sendCommand({ type: 'PlaceOrder', instrumentName: name, side: draft.side, price: draft.price, amount: draftCheck.amount, postOnly, reduceOnly: false }));
  };
  const cancel = (ids: readonly string[]): void => {
    let last: string | undefined;
    for (const clientOrderId of ids) last = sendCommand({ type: 'CancelOrder', clientOrderId });
    setCancelId(last);
  };

  // Bring the touch to the middle of the view when the ladder opens on an instrument.
  const body = useRef<HTMLDivElement>(null);
  const centred = useRef(false);
  useEffect(() => {
    if (centred.current || ladder.rows.length === 0) return;
    const touch = body.current?.querySelector<HTMLElement>('.ladder-row-touch');
    if (!touch) return;
    touch.scrollIntoView({ block: 'center' });
    centred.current = true;
  }, [ladder.rows.length]);

  const unit = amountUnit(instrument);
  const fmt = (price: number | undefined): string => (price === undefined ? '—' : price.toFixed(ladder.decimals));
  const aboveText = offLadderText('above', ladder.above);
  const belowText = offLadderText('below', ladder.below);

  return (
    <div className="panel-column ladder-panel" data-testid="ladder-panel">
      <div className="ladder-head">
        <span className="ladder-instrument" data-testid="ladder-instrument">
          {name}
        </span>
        <span className="muted" title="Our position">
          pos {positionSize === undefined || positionSize === 0 ? '0' : `${positionSize > 0 ? '+' : '−'}${formatAmount(Math.abs(positionSize))}`} {unit}
        </span>
        <span className="ladder-ref" title={MARKER_TITLES.theo}>
          theo {fmt(ladder.references.theo)}
        </span>
        <span className="ladder-ref" title={MARKER_TITLES.mark}>
          mark {fmt(ladder.references.mark)}
        </span>
        <span className="ladder-ref" title={MARKER_TITLES.last}>
          last {fmt(ladder.references.last)}
        </span>
        {quote?.stale ? (
          <span className="level-bad" data-testid="ladder-stale">
            STALE{quote.staleReason ? `: ${quote.staleReason}` : ''}
          </span>
        ) : null}
      </div>
      <div className="ladder-ticket" data-testid="ladder-ticket">
        <label>
          Amount <input className="field-input" size={6} inputMode="decimal" value={amountText} onChange={(event) => editAmount(event.target.value)} data-testid="ladder-amount" /> {unit}
        </label>
        <label>
          <input type="checkbox" checked={postOnly} onChange={(event) => editPostOnly(event.target.checked)} /> Post-only
        </label>
        {draft ? (
          <span className={`ladder-draft side-${draft.side}`} data-testid="ladder-draft">
            {draft.side.toUpperCase()} {amountText} @ {fmt(draft.price)}
          </span>
        ) : (
          <span className="muted">Click a bid-side cell to buy, an ask-side cell to sell.</span>
        )}
        {draft && draftCheck && !draftCheck.ok ? (
          <span className="command-outcome outcome-rejected" data-testid="ladder-check">
            {draftCheck.reason}
          </span>
        ) : draft && !checkCurrent ? (
          <button type="button" className="button button-small" disabled={!linkOpen} onClick={() => sendCheck(draft, amountText, postOnly)} data-testid="ladder-recheck">
            Check
          </button>
        ) : check ? (
          <span className={`command-outcome outcome-${checkState}`} data-testid="ladder-check" role="status">
            {checkState === 'pending' ? 'checking…' : (checkText ?? '')}
          </span>
        ) : null}
        <button type="button" className={`button button-small${draft ? ` ladder-place-${draft.side}` : ''}`} disabled={!canPlace} onClick={place} title={canPlace ? 'Send the order' : 'Pick a price and pass the pre-trade checks first'} data-testid="ladder-place">
          Place
        </button>
        <CommandOutcome commandId={placeId} testId="ladder-place-outcome" />
        <CommandOutcome commandId={cancelId} testId="ladder-cancel-outcome" />
      </div>
      {ladder.rows.length === 0 ? (
        <div className="panel-empty" data-testid="ladder-no-prices">
          No prices for {name} yet: no book, mark or theo.
        </div>
      ) : (
        <div className="ladder-body" ref={body}>
          <table className="ladder-table" data-testid="ladder">
            <thead>
              <tr>
                <th title="Our live buy orders at the price (× cancels them)">Our bids</th>
                <th title="The venue’s bid size at the price">Bid</th>
                <th>Price</th>
                <th title="The venue’s ask size at the price">Ask</th>
                <th title="Our live sell orders at the price (× cancels them)">Our asks</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {aboveText ? (
                <tr className="ladder-off">
                  <td colSpan={6}>{aboveText}</td>
                </tr>
              ) : null}
              {ladder.rows.map((row) => (
                <LadderLine key={row.key} row={row} drafted={draft?.price === row.price ? draft.side : undefined} linkOpen={linkOpen} onPick={pick} onCancel={cancel} />
              ))}
              {belowText ? (
                <tr className="ladder-off">
                  <td colSpan={6}>{belowText}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
      <LastTrades trades={book?.lastTrades} decimals={ladder.decimals} />
    </div>
  );
}

/** The instrument's latest trades in the market (anyone's), newest first, with the side that took. */
function LastTrades({ trades, decimals }: { readonly trades: BookRow['lastTrades'] | undefined; readonly decimals: number }) {
  if (!trades || trades.length === 0) return <div className="ladder-trades muted" data-testid="ladder-trades">No trades seen yet.</div>;
  return (
    <div className="ladder-trades" data-testid="ladder-trades">
      <span className="section-title">Last trades</span>
      {trades.slice(0, 8).map((trade) => (
        <span key={`${trade.tsMs}-${trade.price}-${trade.amount}-${trade.takerSide}`} className={`ladder-trade side-${trade.takerSide}`} title={`${trade.takerSide === 'buy' ? 'bought' : 'sold'} by the taker`}>
          {formatClock(trade.tsMs)} {trade.price.toFixed(decimals)} × {formatAmount(trade.amount)}
        </span>
      ))}
    </div>
  );
}

interface LineProps {
  readonly row: LadderRow;
  readonly drafted: 'buy' | 'sell' | undefined;
  readonly linkOpen: boolean;
  readonly onPick: (side: 'buy' | 'sell', price: number) => void;
  readonly onCancel: (ids: readonly string[]) => void;
}

function LadderLine({ row, drafted, linkOpen, onPick, onCancel }: LineProps) {
  const touch = row.bidAmount !== undefined || row.askAmount !== undefined;
  const classes = ['ladder-row', `ladder-zone-${row.zone}`, touch ? 'ladder-row-touch' : '', drafted ? `ladder-drafted-${drafted}` : '', row.markers.includes('theo') ? 'ladder-row-theo' : ''].filter(Boolean).join(' ');
  const ours = (amount: number, ids: readonly string[], side: 'buy' | 'sell') =>
    ids.length === 0 ? null : (
      <>
        <span className="ladder-ours-amount" title={`${ids.length} order${ids.length === 1 ? '' : 's'}: ${ids.join(', ')}`}>
          {formatAmount(amount)}
        </span>
        <button
          type="button"
          className="ladder-cancel"
          disabled={!linkOpen}
          title={`Cancel our ${side === 'buy' ? 'bids' : 'asks'} at this price`}
          onClick={(event) => {
            event.stopPropagation();
            onCancel(ids);
          }}
          data-testid={`ladder-cancel-${side}`}
        >
          ×
        </button>
      </>
    );
  return (
    <tr className={classes} data-testid="ladder-row" data-price={row.key}>
      <td className="ladder-cell ladder-ours ladder-buy" onClick={() => onPick('buy', row.price)} data-testid={`ladder-buy-${row.key}`}>
        {ours(row.ourBuyAmount, row.ourBuyOrders, 'buy')}
      </td>
      <td className="ladder-cell ladder-size ladder-bid" onClick={() => onPick('buy', row.price)}>
        {row.bidAmount === undefined ? '' : formatAmount(row.bidAmount)}
      </td>
      <td className="ladder-cell ladder-price" onClick={() => onPick(row.zone === 'bid' ? 'buy' : 'sell', row.price)}>
        {row.key}
      </td>
      <td className="ladder-cell ladder-size ladder-ask" onClick={() => onPick('sell', row.price)}>
        {row.askAmount === undefined ? '' : formatAmount(row.askAmount)}
      </td>
      <td className="ladder-cell ladder-ours ladder-sell" onClick={() => onPick('sell', row.price)} data-testid={`ladder-sell-${row.key}`}>
        {ours(row.ourSellAmount, row.ourSellOrders, 'sell')}
      </td>
      <td className="ladder-markers">
        {row.markers.map((marker) => (
          <span key={marker} className={`ladder-marker ladder-marker-${marker}`} title={MARKER_TITLES[marker]}>
            {MARKER_LABELS[marker]}
          </span>
        ))}
      </td>
    </tr>
  );
}
