// The one reader of date-times the library and the CLI accept from users and from AWS CLI output: ISO 8601 with a
// zone, and calendar-checked. `Date.parse` alone would read a time without a zone in local time, and roll
// impossible dates over (2026-02-30 becomes March 2), so every field is checked here first.

/** A date, `T`, hours and minutes, optional seconds and fraction, then `Z` or an offset; anchored, linear. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/** What a valid date-time looks like, for error messages. */
export const ISO_DATE_TIME_EXAMPLE = '2026-06-01T00:00:00Z';

/**
 * The moment `text` names, or `undefined` when it is not an ISO 8601 date-time with a zone (`Z` or `+hh:mm`),
 * names a day the calendar doesn't have, or is outside the range of a JavaScript `Date`.
 */
export function parseIsoDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) {
    return undefined;
  }
  const [year, month, day, hours, minutes, seconds, offsetHours, offsetMinutes] = match.slice(1).map(Number);
  const inRange = month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
    && hours <= 23 && minutes <= 59 && !(seconds > 59)
    && !(offsetHours > 23) && !(offsetMinutes > 59);
  return inRange ? validDate(Date.parse(text)) : undefined;
}

/** The moment `seconds` after the epoch (AWS CLI v1 timestamps), or `undefined` outside the range of a `Date`. */
export function fromEpochSeconds(seconds: number): Date | undefined {
  return validDate(Math.round(seconds * 1000));
}

function validDate(ms: number): Date | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}
