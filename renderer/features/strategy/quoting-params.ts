import { humanize } from './strategy-view.ts';

/**
 * The quoting-parameter form. The engine publishes each underlying's parameters as a flat record
 * whose names carry their units (`minEdgeVolPts`, `refreshMs`, `sizeCoin`…) and validates any
 * patch as a whole; this checks each edited field before a round trip (a finite number, a sensible
 * range read off the name's unit) and builds the patch of only the keys that changed.
 */

export type ParamValue = number | boolean | string;

/**
 * A trader's edit of one field: the text typed (or the box ticked) and the engine's value when the
 * edit began. Should the engine's value move under the edit, the edit is stale and is dropped.
 */
export interface ParamDraft {
  readonly input: string | boolean;
  readonly base: ParamValue;
}

export type ParamDrafts = Readonly<Record<string, ParamDraft>>;

export interface ParamRange {
  readonly min?: number;
  readonly max?: number;
  /** min itself is not allowed (a multiplier of 0). */
  readonly minExclusive?: boolean;
  readonly integer?: boolean;
}

/**
 * Words that make a parameter signed: an offset or a target may be negative; sizes, widths,
 * tolerances, caps (maxSkewVolPts) and risk aversions may not.
 */
const SIGNED = /offset|shift|bias|adjust|target/i;

const UNITS: readonly { readonly suffix: RegExp; readonly unit: string }[] = [
  { suffix: /Ms$/, unit: 'ms' },
  { suffix: /VolPts$/, unit: 'vol pts' },
  { suffix: /Pts$/, unit: 'pts' },
  { suffix: /Pct$/, unit: '%' },
  { suffix: /Bps$/, unit: 'bps' },
  { suffix: /Coin$/, unit: 'coin' },
  { suffix: /Usd$/, unit: 'USD' },
  { suffix: /Multiplier$/, unit: '×' },
  { suffix: /Fraction$/, unit: '0–1' },
];

/** The unit a parameter's name carries, if any. */
export function unitOf(key: string): string {
  return UNITS.find((entry) => entry.suffix.test(key))?.unit ?? '';
}

/** "minEdgeVolPts" → "min edge" (the unit is shown beside the field). */
export function paramLabel(key: string): string {
  const bare = UNITS.reduce((name, entry) => name.replace(entry.suffix, ''), key);
  return humanize(bare === '' ? key : bare);
}

/** A sensible range for a numeric parameter, read off its name; `current` decides the sign of unknown ones. */
export function rangeFor(key: string, current: number): ParamRange {
  const signed = SIGNED.test(key);
  if (/Ms$/.test(key)) return { min: 0, max: 86_400_000, integer: true };
  if (/Fraction$/.test(key)) return { min: 0, max: 1 };
  if (/Multiplier$/.test(key)) return { min: 0, max: 100, minExclusive: true };
  if (/Bps$/.test(key)) return signed ? { min: -10_000, max: 10_000 } : { min: 0, max: 10_000 };
  if (/Pct$/.test(key)) return signed ? { min: -100, max: 100 } : { min: 0, max: 100 };
  if (/Pts$/.test(key)) return signed ? { min: -100, max: 100 } : { min: 0, max: 100 };
  if (/(Count|Levels|Strikes|Expiries|Instruments)$/.test(key) || /^(max|min)?(Count|Levels)/i.test(key)) return { min: 0, integer: true };
  if (signed || current < 0) return {};
  return { min: 0 };
}

const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** A number typed by a person: digits, one point, an optional exponent (no hex, no "Infinity"). */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/^−/, '-');
  if (!NUMBER_TEXT.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

function describeRange(range: ParamRange): string {
  const { min, max } = range;
  const kind = range.integer ? 'a whole number' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} ${range.minExclusive ? 'above' : 'from'} ${min} ${range.minExclusive ? 'up to' : 'to'} ${max}`;
  if (min !== undefined) return `${kind} ${range.minExclusive ? 'above' : 'of at least'} ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

export type FieldCheck = { readonly ok: true; readonly value: ParamValue; readonly warning?: string } | { readonly ok: false; readonly error: string };

/** One field's input against its range; a large jump from the current value is a warning, not an error. */
export function checkField(key: string, current: ParamValue, input: string | boolean): FieldCheck {
  if (typeof current === 'boolean') return typeof input === 'boolean' ? { ok: true, value: input } : { ok: false, error: 'on or off' };
  const text = typeof input === 'string' ? input : String(input);
  if (typeof current === 'string') {
    if (text.length > 64) return { ok: false, error: 'at most 64 characters' };
    return { ok: true, value: text };
  }
  if (text.trim() === '') return { ok: false, error: 'a value is required' };
  const value = parseNumber(text);
  if (value === undefined) return { ok: false, error: 'not a number' };
  const range = rangeFor(key, current);
  const belowMin = range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min);
  const aboveMax = range.max !== undefined && value > range.max;
  if (belowMin || aboveMax || (range.integer && !Number.isInteger(value))) return { ok: false, error: `must be ${describeRange(range)}` };
  if (current !== 0 && value !== 0 && Math.sign(current) === Math.sign(value)) {
    const ratio = Math.abs(value / current);
    if (ratio >= 10 || ratio <= 0.1) return { ok: true, value, warning: `${ratio >= 10 ? `${ratio.toFixed(0)}×` : `1/${(1 / ratio).toFixed(0)} of`} the current value: check it` };
  }
  return { ok: true, value };
}

export interface ParamField {
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly kind: 'number' | 'boolean' | 'string';
  readonly current: ParamValue;
  /** What the field shows: the trader's edit, or the engine's value. */
  readonly input: string | boolean;
  /** A valid edit that differs from the engine's value. */
  readonly changed: boolean;
  readonly error?: string;
  readonly warning?: string;
}

export interface ParamsCheck {
  readonly fields: readonly ParamField[];
  /** Only the changed keys; send it when `ok` and not empty. */
  readonly patch: Readonly<Record<string, ParamValue>>;
  readonly changedCount: number;
  readonly errorCount: number;
  readonly ok: boolean;
}

function display(value: ParamValue): string | boolean {
  return typeof value === 'boolean' ? value : String(value);
}

/** The form's fields in the engine's order, each checked, and the patch of what changed. */
export function checkParams(params: Readonly<Record<string, ParamValue>>, drafts: ParamDrafts): ParamsCheck {
  const fields: ParamField[] = [];
  const patch: Record<string, ParamValue> = {};
  let errorCount = 0;
  for (const [key, current] of Object.entries(params)) {
    // The protocol carries numbers, booleans and strings; anything else is shown by no field and never patched.
    if (typeof current !== 'boolean' && typeof current !== 'number' && typeof current !== 'string') continue;
    const kind = typeof current === 'boolean' ? 'boolean' : typeof current === 'number' ? 'number' : 'string';
    const base = { key, label: paramLabel(key), unit: kind === 'number' ? unitOf(key) : '', kind, current } as const;
    const draft = drafts[key];
    if (!draft || draft.base !== current) {
      fields.push({ ...base, input: display(current), changed: false });
      continue;
    }
    const check = checkField(key, current, draft.input);
    if (!check.ok) {
      errorCount += 1;
      fields.push({ ...base, input: draft.input, changed: false, error: check.error });
      continue;
    }
    const changed = check.value !== current;
    if (changed) patch[key] = check.value;
    fields.push(check.warning && changed ? { ...base, input: draft.input, changed, warning: check.warning } : { ...base, input: draft.input, changed });
  }
  const changedCount = Object.keys(patch).length;
  return { fields, patch, changedCount, errorCount, ok: errorCount === 0 };
}

/** Records an edit against the engine's current value. */
export function editDraft(drafts: ParamDrafts, key: string, input: string | boolean, current: ParamValue): ParamDrafts {
  return { ...drafts, [key]: { input, base: current } };
}
