import { z } from 'zod';
import type { QuoteCancelScope, QuoteEntry } from '../venue-adapter.ts';

/**
 * Deribit's mass quotes on the wire (docs.deribit.com/api-reference/trading/private-mass_quote,
 * private-cancel_quotes; test/fixtures/deribit/private.mass_quote.json): our quote entries as
 * request params, and the venue's answers checked with a schema. An answer that fails the check
 * is not guessed at: the caller treats its entries as lost and reconciles.
 */

/** Entries split into requests of at most `maxInstruments` instruments, in order (each instrument's sides stay together). */
export function chunkQuoteEntries(entries: readonly QuoteEntry[], maxInstruments: number): QuoteEntry[][] {
  const chunks: QuoteEntry[][] = [];
  const chunkOf = new Map<string, QuoteEntry[]>();
  let current: QuoteEntry[] = [];
  let instruments = 0;
  for (const entry of entries) {
    let chunk = chunkOf.get(entry.instrumentName);
    if (!chunk) {
      if (instruments === maxInstruments || current.length === 0) {
        current = [];
        chunks.push(current);
        instruments = 0;
      }
      instruments += 1;
      chunk = current;
      chunkOf.set(entry.instrumentName, chunk);
    }
    chunk.push(entry);
  }
  return chunks;
}

/** private/mass_quote params: one quote per instrument with its bid and ask; a cancel is amount 0. */
export function massQuoteParams(mmpGroup: string, quoteId: string, quoteSetId: string, entries: readonly QuoteEntry[], validUntilMs?: number): Record<string, unknown> {
  const quotes = new Map<string, Record<string, unknown>>();
  for (const entry of entries) {
    let quote = quotes.get(entry.instrumentName);
    if (!quote) quotes.set(entry.instrumentName, (quote = { instrument_name: entry.instrumentName, quote_set_id: quoteSetId }));
    quote[entry.side === 'buy' ? 'bid' : 'ask'] = entry.kind === 'cancel' ? { amount: 0 } : { price: entry.price, amount: entry.amount, post_only: entry.postOnly };
  }
  return { quote_id: quoteId, mmp_group: mmpGroup, detailed: true, ...(validUntilMs !== undefined && { valid_until: validUntilMs }), quotes: [...quotes.values()] };
}

/** private/cancel_quotes params for a scope. */
export function cancelQuotesParams(scope: QuoteCancelScope, freeze: boolean): Record<string, unknown> {
  const common = { detailed: true, ...(freeze && { freeze_quotes: true }) };
  switch (scope.kind) {
    case 'all':
      return { cancel_type: 'all', ...common };
    case 'currency':
      return { cancel_type: 'currency', currency: scope.currency, ...common };
    case 'instrument':
      return { cancel_type: 'instrument', instrument_name: scope.instrumentName, ...common };
    case 'quoteSet':
      return { cancel_type: 'quote_set_id', quote_set_id: scope.quoteSetId, ...common };
  }
}

const ErrorSchema = z.object({ code: z.number().int(), message: z.string() });

// Deribit's reference lists the error both nested (`error`) and flat (`code`, `message`); its example nests it.
const QuoteErrorSchema = z.object({
  instrument_name: z.string().min(1),
  side: z.enum(['bid', 'ask']),
  error: ErrorSchema.partial().optional(),
  code: z.number().int().optional(),
  message: z.string().optional(),
});

const MassQuoteResultSchema = z.object({
  orders: z.array(z.unknown()).default([]),
  trades: z.array(z.unknown()).default([]),
  errors: z.array(QuoteErrorSchema).optional(),
  errors_count: z.number().int().nonnegative().optional(),
});

export interface QuoteSideError {
  readonly instrumentName: string;
  readonly side: 'buy' | 'sell';
  readonly code: number;
  readonly reason: string;
}

export type ParsedMassQuote =
  | { readonly ok: true; readonly orders: readonly unknown[]; readonly trades: readonly unknown[]; readonly errors: readonly QuoteSideError[] }
  | { readonly ok: false; readonly reason: string };

/** A (detailed) mass quote answer: order objects and user trades to read on, and the refused sides. */
export function parseMassQuoteResult(data: unknown): ParsedMassQuote {
  const parsed = MassQuoteResultSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `mass quote answer: ${parsed.error.issues[0]?.path.join('.') || 'result'}: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
  const { orders, trades, errors, errors_count: count } = parsed.data;
  // Without the list (detailed false) the refused sides cannot be told apart: not an answer we can use.
  if (errors === undefined && (count ?? 0) > 0) return { ok: false, reason: `mass quote answer: ${count} errors without the list` };
  return {
    ok: true,
    orders,
    trades,
    errors: (errors ?? []).map((e) => ({
      instrumentName: e.instrument_name,
      side: e.side === 'bid' ? 'buy' : 'sell',
      code: e.error?.code ?? e.code ?? 0,
      reason: e.error?.message ?? e.message ?? 'refused',
    })),
  };
}

/** private/cancel_quotes' answer: a count, or (detailed) `{order}` reports whose orders are returned. */
export function cancelledQuoteOrders(data: unknown): readonly unknown[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((entry) => (typeof entry === 'object' && entry !== null && 'order' in entry ? [(entry as { order: unknown }).order] : []));
}
