import { DateTime } from 'luxon';

/** Weekday bits: Monday = 1, Tuesday = 2, … Sunday = 64 (ISO weekday n → 1 << (n − 1)). */
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const EVERY_DAY = 127;

const NAMED_SETS: Record<string, number> = { daily: EVERY_DAY, everyday: EVERY_DAY, all: EVERY_DAY, weekdays: 31, weekends: 96 };

/**
 * "mon-fri", "mon,wed,fri", "sat-sun", "weekdays", "daily" → a weekday mask; undefined when the
 * text is not a day list. Ranges wrap ("fri-mon" is Fri, Sat, Sun, Mon).
 */
export function parseWeekdays(text: string): number | undefined {
  const normalized = text.trim().toLowerCase().replace(/\s+/g, '');
  if (normalized in NAMED_SETS) return NAMED_SETS[normalized];
  let mask = 0;
  for (const part of normalized.split(',')) {
    const [from, to] = part.split('-');
    const start = WEEKDAY_NAMES.indexOf(from?.slice(0, 3) as (typeof WEEKDAY_NAMES)[number]);
    const end = to === undefined ? start : WEEKDAY_NAMES.indexOf(to.slice(0, 3) as (typeof WEEKDAY_NAMES)[number]);
    if (start < 0 || end < 0) return undefined;
    for (let day = start; ; day = (day + 1) % 7) {
      mask |= 1 << day;
      if (day === end) break;
    }
  }
  return mask || undefined;
}

export function describeWeekdays(mask: number): string {
  if (mask === EVERY_DAY) return 'every day';
  if (mask === 31) return 'Mon–Fri';
  if (mask === 96) return 'Sat–Sun';
  return WEEKDAY_NAMES.filter((_, i) => mask & (1 << i))
    .map((d) => d[0]!.toUpperCase() + d.slice(1))
    .join(', ');
}

/** "7:30" / "07:30" → "07:30"; undefined when it is not a time of day. */
export function parseTimeOfDay(text: string): string | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  return match ? `${match[1]!.padStart(2, '0')}:${match[2]}` : undefined;
}

export interface LocalMoment {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** `HH:MM` in the zone. */
  time: string;
  /** ISO weekday, Monday = 1. */
  weekday: number;
}

/** What the wall clock in `timezone` says at `instant`; recomputed every time, so DST is always right. */
export function localMoment(instant: Date, timezone: string): LocalMoment {
  const local = DateTime.fromJSDate(instant, { zone: timezone });
  return { date: local.toISODate()!, time: local.toFormat('HH:mm'), weekday: local.weekday };
}

/**
 * The instant the wall clock in `timezone` shows `time` on `date`. A time skipped by a DST change
 * (02:30 on a spring-forward night) moves forward to the first valid minute; a repeated one (fall
 * back) is its first occurrence.
 */
export function instantAt(date: string, time: string, timezone: string): Date {
  const local = DateTime.fromISO(`${date}T${time}`, { zone: timezone });
  // Luxon resolves a repeated wall time to its later occurrence; the scheduler acts on the first.
  const wall = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm");
  for (const minutes of [60, 30]) {
    const earlier = local.minus({ minutes });
    if (wall(earlier) === wall(local)) return earlier.toJSDate();
  }
  return local.toJSDate();
}

export function onWeekday(mask: number, weekday: number): boolean {
  return (mask & (1 << (weekday - 1))) !== 0;
}

/** The local day after `date` (`YYYY-MM-DD`). */
export function nextDay(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!;
}

/** Monday of the ISO week before the one containing `date`, and the first day of the previous month. */
export function previousPeriodStart(date: string, period: 'week' | 'month'): string {
  const day = DateTime.fromISO(date, { zone: 'UTC' });
  return (period === 'week' ? day.startOf('week').minus({ weeks: 1 }) : day.startOf('month').minus({ months: 1 })).toISODate()!;
}

/** Monday of the ISO week containing `date`, or the first day of its month. */
export function currentPeriodStart(date: string, period: 'week' | 'month'): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).startOf(period).toISODate()!;
}
