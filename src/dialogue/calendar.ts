/**
 * Porting days: carriers move numbers on business days, never on weekends or US federal holidays
 * (observed dates, from the maintained @18f/us-federal-holidays list). Dates are shown as people write
 * them ("Thursday, December 3"), and counted in business days where that is what the customer waits.
 * All arithmetic is on whole UTC days, the way dates are stored (YYYY-MM-DD).
 */
import { allForYear } from '@18f/us-federal-holidays';
import { isApproximate } from '../nlu/extract.js';

const DAY_MS = 86_400_000;
const holidaysByYear = new Map<number, Map<string, string>>();

/** The federal holiday observed on an ISO date, or undefined. */
export function federalHoliday(isoDate: string): string | undefined {
  const year = Number(isoDate.slice(0, 4));
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = new Map(allForYear(year).map((h) => [h.date.toISOString().slice(0, 10), h.name]));
    holidaysByYear.set(year, holidays);
  }
  return holidays.get(isoDate);
}

export function isWeekend(isoDate: string): boolean {
  const day = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** A weekday that is not a federal holiday. */
export function isPortingDay(isoDate: string): boolean {
  return !isWeekend(isoDate) && federalHoliday(isoDate) === undefined;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function shift(isoDate: string, days: number): string {
  return isoDay(new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS));
}

/** The porting day `count` business days after `from` (an ISO date or a Date). */
export function addBusinessDays(from: Date | string, count: number): string {
  let day = typeof from === 'string' ? from : isoDay(from);
  let left = count;
  while (left > 0) {
    day = shift(day, 1);
    if (isPortingDay(day)) left--;
  }
  return day;
}

/** Business days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not after `from`. */
export function businessDaysUntil(from: Date | string, to: string): number {
  let day = typeof from === 'string' ? from : isoDay(from);
  let count = 0;
  for (let guard = 0; day < to && guard < 3660; guard++) {
    day = shift(day, 1);
    if (isPortingDay(day)) count++;
  }
  return count;
}

const formats = (locale: string) => ({
  day: new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }),
  dayWithYear: new Intl.DateTimeFormat(locale, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }),
});
const FORMATS = { en: formats('en-US'), es: formats('es-US') };

/**
 * "Thursday, December 3, 2026", or "Thursday, December 3" when `today` is given and in the same year;
 * a day said as a span is shown as it was said ("last week"). Anything else is returned as it is.
 */
export function formatDay(isoDate: string, today?: Date, language: 'en' | 'es' = 'en'): string {
  if (isApproximate(isoDate)) return isoDate.slice(11);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) return isoDate;
  const date = new Date(`${isoDate}T00:00:00Z`);
  const f = FORMATS[language];
  return (today && date.getUTCFullYear() === today.getUTCFullYear() ? f.day : f.dayWithYear).format(date);
}
