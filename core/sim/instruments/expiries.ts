/**
 * Which expiries are listed at a moment, following Deribit's schedule: every expiry is at
 * 08:00 UTC; dailies for the next days, weeklies on Fridays, monthlies on the last Friday of a
 * month, quarterlies on the last Friday of March, June, September and December.
 */
export type SettlementPeriod = 'day' | 'week' | 'month';

export interface ListedExpiry {
  readonly expiryMs: number;
  /** The longest period the date belongs to (a quarterly is also a monthly and a weekly). */
  readonly period: SettlementPeriod;
  readonly quarterly: boolean;
}

export interface ExpirySchedule {
  readonly dailies: number;
  readonly weeklies: number;
  readonly monthlies: number;
  readonly quarterlies: number;
}

export const DERIBIT_SCHEDULE: ExpirySchedule = { dailies: 3, weeklies: 3, monthlies: 3, quarterlies: 4 };

const DAY_MS = 86_400_000;
const EXPIRY_HOUR_UTC = 8;

function at0800(year: number, month: number, day: number): number {
  return Date.UTC(year, month, day, EXPIRY_HOUR_UTC);
}

function lastFridayOfMonth(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const back = (lastDay.getUTCDay() - 5 + 7) % 7;
  return at0800(year, month, lastDay.getUTCDate() - back);
}

function isLastFriday(expiryMs: number): boolean {
  const date = new Date(expiryMs);
  return date.getUTCDay() === 5 && lastFridayOfMonth(date.getUTCFullYear(), date.getUTCMonth()) === expiryMs;
}

function isQuarterEnd(expiryMs: number): boolean {
  return isLastFriday(expiryMs) && new Date(expiryMs).getUTCMonth() % 3 === 2;
}

/** Expiries strictly after `nowMs`, sorted, each listed once with its longest period. */
export function listedExpiries(nowMs: number, schedule: ExpirySchedule = DERIBIT_SCHEDULE): ListedExpiry[] {
  const now = new Date(nowMs);
  const set = new Set<number>();
  // Dailies: the next `dailies` 08:00 UTC instants.
  let next = at0800(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (next <= nowMs) next += DAY_MS;
  for (let i = 0; i < schedule.dailies; i++) set.add(next + i * DAY_MS);
  // Weeklies: the next Fridays.
  let friday = next;
  while (new Date(friday).getUTCDay() !== 5) friday += DAY_MS;
  for (let i = 0; i < schedule.weeklies; i++) set.add(friday + i * 7 * DAY_MS);
  // Monthlies and quarterlies: last Fridays still ahead.
  let monthlies = 0;
  let quarterlies = 0;
  for (let offset = 0; offset < 48 && (monthlies < schedule.monthlies || quarterlies < schedule.quarterlies); offset++) {
    const year = now.getUTCFullYear() + Math.floor((now.getUTCMonth() + offset) / 12);
    const month = (now.getUTCMonth() + offset) % 12;
    const expiryMs = lastFridayOfMonth(year, month);
    if (expiryMs <= nowMs) continue;
    if (monthlies < schedule.monthlies) {
      set.add(expiryMs);
      monthlies += 1;
    }
    if (month % 3 === 2 && quarterlies < schedule.quarterlies) {
      set.add(expiryMs);
      quarterlies += 1;
    }
  }
  return [...set]
    .sort((a, b) => a - b)
    .map((expiryMs) => {
      const weekly = new Date(expiryMs).getUTCDay() === 5;
      const period: SettlementPeriod = isLastFriday(expiryMs) ? 'month' : weekly ? 'week' : 'day';
      return { expiryMs, period, quarterly: isQuarterEnd(expiryMs) };
    });
}
