/**
 * Instruments as the simulator lists them: the fields of Deribit's `public/get_instruments`
 * that matter to trading, in Deribit's units. Options are inverse (premium in the base coin);
 * futures and perpetuals are inverse with amounts in USD.
 */
export type Currency = 'BTC' | 'ETH';
export type InstrumentKind = 'option' | 'future';
export type OptionType = 'call' | 'put';

export interface TickStep {
  /** Prices strictly above this use `tickSize`. */
  readonly abovePrice: number;
  readonly tickSize: number;
}

export interface SimInstrument {
  readonly instrumentName: string;
  readonly instrumentId: number;
  readonly currency: Currency;
  readonly kind: InstrumentKind;
  readonly isPerpetual: boolean;
  /** Smallest tick; prices are stored as integer multiples of it. */
  readonly tickSize: number;
  readonly tickSizeSteps: readonly TickStep[];
  /** BTC per option contract; USD per future contract. */
  readonly contractSize: number;
  /** Smallest order and the amount step (BTC for options, USD for futures). */
  readonly minTradeAmount: number;
  readonly makerCommission: number;
  readonly takerCommission: number;
  readonly strike?: number;
  readonly optionType?: OptionType;
  /** Perpetuals: a far-future sentinel, as Deribit lists them. */
  readonly expirationTimestamp: number;
  readonly creationTimestamp: number;
  readonly settlementPeriod: 'day' | 'week' | 'month' | 'perpetual';
  readonly priceIndex: string;
  readonly baseCurrency: Currency;
  readonly quoteCurrency: Currency | 'USD';
  readonly counterCurrency: 'USD';
  readonly settlementCurrency: Currency;
}

/** Deribit's perpetual expiration_timestamp: year 3000. */
export const PERPETUAL_EXPIRY_MS = 32503708800000;
