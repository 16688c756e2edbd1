import { DateTime, IANAZone } from 'luxon';

// Exchange calendars are local wall-clock times (an option expires at 16:00 New York time, whatever
// the UTC offset is that day); luxon carries the IANA rules, including the days the offset changes.

/** Epoch milliseconds of `date` (YYYY-MM-DD) at `time` (HH:MM) in the IANA `zone`; NaN if either is invalid. */
export function zonedInstantMs(date: string, time: string, zone: string): number {
  const t = DateTime.fromISO(`${date}T${time}`, { zone });
  return t.isValid ? t.toMillis() : Number.NaN;
}

/** Epoch seconds of local midnight on `date` in `zone`. */
export function zonedMidnightSec(date: string, zone: string): number {
  return zonedInstantMs(date, '00:00', zone) / 1000;
}

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** A real calendar date in YYYY-MM-DD (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}
