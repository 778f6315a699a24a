import type { CellMouseOverEvent, GridApi } from 'ag-grid-community';
import { cellTooltip } from './chain-columns.ts';
import type { ChainRow } from './chain-rows.ts';

export const TOOLTIP_DELAY_MS = 350;

/**
 * The chain's cell tooltip: shown after a short hover, positioned by the cell, and rewritten from
 * the row's latest data at every grid refresh while open, so the USD value and the IVs in it tick
 * with the market. Plain DOM, one element for the whole grid.
 */
export class ChainTooltip {
  readonly #api: GridApi<ChainRow>;
  readonly #currency: () => string;
  readonly #element: HTMLDivElement;
  #target: { rowId: string; colId: string; cell: HTMLElement } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #shown = false;

  constructor(api: GridApi<ChainRow>, currency: () => string) {
    this.#api = api;
    this.#currency = currency;
    this.#element = document.createElement('div');
    this.#element.className = 'chain-tooltip';
    this.#element.setAttribute('role', 'tooltip');
    this.#element.dataset.testid = 'chain-tooltip';
    this.#element.hidden = true;
    document.body.append(this.#element);
    api.addEventListener('cellMouseOver', this.#onOver);
    api.addEventListener('cellMouseOut', this.#onOut);
    api.addEventListener('bodyScroll', this.#hide);
    api.addEventListener('asyncTransactionsFlushed', this.#refresh);
    api.addEventListener('rowDataUpdated', this.#refresh);
  }

  /** Rewrites the open tooltip from the grid's current row data. */
  refresh(): void {
    if (!this.#shown || !this.#target) return;
    const text = cellTooltip(this.#target.colId, this.#api.getRowNode(this.#target.rowId)?.data, this.#currency());
    if (text === undefined) return this.#hide();
    if (this.#element.textContent !== text) this.#element.textContent = text;
  }

  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (!this.#api.isDestroyed()) {
      this.#api.removeEventListener('cellMouseOver', this.#onOver);
      this.#api.removeEventListener('cellMouseOut', this.#onOut);
      this.#api.removeEventListener('bodyScroll', this.#hide);
      this.#api.removeEventListener('asyncTransactionsFlushed', this.#refresh);
      this.#api.removeEventListener('rowDataUpdated', this.#refresh);
    }
    this.#element.remove();
  }

  readonly #onOver = (event: CellMouseOverEvent<ChainRow>): void => {
    const cell = (event.event?.target as HTMLElement | null)?.closest<HTMLElement>('.ag-cell');
    const rowId = event.node.id;
    if (!cell || rowId === undefined) return;
    this.#hide();
    this.#target = { rowId, colId: event.column.getColId(), cell };
    this.#timer = setTimeout(this.#show, TOOLTIP_DELAY_MS);
  };

  readonly #onOut = (): void => this.#hide();

  readonly #refresh = (): void => this.refresh();

  readonly #show = (): void => {
    this.#timer = undefined;
    const target = this.#target;
    if (!target || !target.cell.isConnected) return;
    this.#shown = true;
    this.refresh();
    if (!this.#shown) return;
    this.#element.hidden = false;
    const cellBox = target.cell.getBoundingClientRect();
    const box = this.#element.getBoundingClientRect();
    const left = Math.min(Math.max(4, cellBox.left), window.innerWidth - box.width - 4);
    const below = cellBox.bottom + 4;
    const top = below + box.height > window.innerHeight - 4 ? cellBox.top - box.height - 4 : below;
    this.#element.style.left = `${left}px`;
    this.#element.style.top = `${top}px`;
  };

  readonly #hide = (): void => {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#target = undefined;
    this.#shown = false;
    this.#element.hidden = true;
  };
}
