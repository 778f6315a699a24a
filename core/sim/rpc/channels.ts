/**
 * Subscription channel names, parsed into what they select. Kinds and currencies follow
 * Deribit: `any` matches every kind, `option`/`future` one of them.
 */
export type Interval = 'raw' | '100ms';
export type KindFilter = 'any' | 'option' | 'future';

export interface InstrumentScope {
  readonly instrumentName: string;
}

export interface KindScope {
  readonly kind: KindFilter;
  readonly currency: string;
}

export type Channel =
  | { readonly type: 'book'; readonly instrumentName: string; readonly interval: Interval }
  | { readonly type: 'ticker'; readonly instrumentName: string; readonly interval: Interval }
  | { readonly type: 'trades'; readonly scope: InstrumentScope | KindScope; readonly interval: Interval }
  | { readonly type: 'priceIndex'; readonly indexName: string }
  | { readonly type: 'markPrice'; readonly indexName: string }
  | { readonly type: 'userOrders'; readonly scope: InstrumentScope | KindScope; readonly interval: Interval }
  | { readonly type: 'userTrades'; readonly scope: InstrumentScope | KindScope; readonly interval: Interval }
  | { readonly type: 'userChanges'; readonly scope: InstrumentScope | KindScope; readonly interval: Interval }
  | { readonly type: 'userPortfolio'; readonly currency: string }
  | { readonly type: 'userMmpTrigger'; readonly indexName: string };

const INTERVALS: ReadonlySet<string> = new Set(['raw', '100ms']);
const KINDS: ReadonlySet<string> = new Set(['any', 'option', 'future']);

function interval(text: string | undefined): Interval | undefined {
  return text !== undefined && INTERVALS.has(text) ? (text as Interval) : undefined;
}

/** `{instrument}.{interval}` or `{kind}.{currency}.{interval}`. */
function scoped(parts: readonly string[]): { scope: InstrumentScope | KindScope; interval: Interval } | undefined {
  if (parts.length === 2) {
    const i = interval(parts[1]);
    return i && parts[0] ? { scope: { instrumentName: parts[0] }, interval: i } : undefined;
  }
  if (parts.length === 3 && KINDS.has(parts[0]!)) {
    const i = interval(parts[2]);
    return i ? { scope: { kind: parts[0] as KindFilter, currency: parts[1]!.toUpperCase() }, interval: i } : undefined;
  }
  return undefined;
}

export function parseChannel(name: string): Channel | undefined {
  const parts = name.split('.');
  const [head, ...rest] = parts;
  switch (head) {
    case 'book':
    case 'ticker': {
      const i = interval(rest[1]);
      if (rest.length !== 2 || !rest[0] || !i) return undefined;
      return { type: head, instrumentName: rest[0], interval: i };
    }
    case 'trades': {
      const s = scoped(rest);
      return s ? { type: 'trades', ...s } : undefined;
    }
    case 'deribit_price_index':
      return rest.length === 1 && rest[0] ? { type: 'priceIndex', indexName: rest[0] } : undefined;
    case 'markprice':
      return rest.length === 2 && rest[0] === 'options' && rest[1] ? { type: 'markPrice', indexName: rest[1] } : undefined;
    case 'user': {
      const [what, ...tail] = rest;
      if (what === 'portfolio') return tail.length === 1 && tail[0] ? { type: 'userPortfolio', currency: tail[0].toUpperCase() } : undefined;
      if (what === 'mmp_trigger') return tail.length === 1 && tail[0] ? { type: 'userMmpTrigger', indexName: tail[0] } : undefined;
      const s = scoped(tail);
      if (!s) return undefined;
      if (what === 'orders') return { type: 'userOrders', ...s };
      if (what === 'trades') return { type: 'userTrades', ...s };
      if (what === 'changes') return { type: 'userChanges', ...s };
      return undefined;
    }
    default:
      return undefined;
  }
}

export function isPrivateChannel(channel: Channel): boolean {
  return channel.type.startsWith('user');
}

/** Raw market-data feeds need an authorised connection on Deribit. */
export function needsAuthForRaw(channel: Channel): boolean {
  return (channel.type === 'book' || channel.type === 'ticker' || channel.type === 'trades') && channel.interval === 'raw';
}

export function scopeMatches(scope: InstrumentScope | KindScope, instrumentName: string, kind: 'option' | 'future', currency: string): boolean {
  if ('instrumentName' in scope) return scope.instrumentName === instrumentName;
  return (scope.kind === 'any' || scope.kind === kind) && (scope.currency === 'ANY' || scope.currency === currency);
}
