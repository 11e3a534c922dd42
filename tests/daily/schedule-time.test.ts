import { describe, expect, it } from 'vitest';
import { describeWeekdays, instantAt, localMoment, parseTimeOfDay, parseWeekdays, previousPeriodStart } from '../../src/core/daily/schedule-time.ts';

describe('weekday lists', () => {
  it('reads ranges, lists, names and wrapping ranges', () => {
    expect(parseWeekdays('mon-fri')).toBe(0b0011111);
    expect(parseWeekdays('Mon, Wed, Fri')).toBe(0b0010101);
    expect(parseWeekdays('daily')).toBe(127);
    expect(parseWeekdays('weekends')).toBe(0b1100000);
    expect(parseWeekdays('fri-mon')).toBe(0b1110001);
    expect(parseWeekdays('monday-wednesday')).toBe(0b0000111);
    for (const bad of ['', 'someday', 'mon-xyz', ',']) expect(parseWeekdays(bad)).toBeUndefined();
    expect(describeWeekdays(0b0011111)).toBe('Mon–Fri');
    expect(describeWeekdays(0b0010101)).toBe('Mon, Wed, Fri');
  });

  it('reads times of day', () => {
    expect(parseTimeOfDay('7:30')).toBe('07:30');
    expect(parseTimeOfDay('23:59')).toBe('23:59');
    for (const bad of ['24:00', '7:60', '730', 'noon', '']) expect(parseTimeOfDay(bad)).toBeUndefined();
  });
});

describe('local time, from the tz database every time', () => {
  it('follows Paris across both DST changes', () => {
    // Last Sunday of March 2026: 02:00 → 03:00. 07:30 local is 06:30Z before, 05:30Z after.
    expect(instantAt('2026-03-28', '07:30', 'Europe/Paris').toISOString()).toBe('2026-03-28T06:30:00.000Z');
    expect(instantAt('2026-03-29', '07:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T05:30:00.000Z');
    // 02:30 does not exist that night: it moves to the first valid minute after the gap.
    expect(instantAt('2026-03-29', '02:30', 'Europe/Paris').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(localMoment(new Date('2026-03-29T01:30:00Z'), 'Europe/Paris').time).toBe('03:30');
    // Last Sunday of October 2026: 03:00 → 02:00.
    expect(instantAt('2026-10-24', '07:30', 'Europe/Paris').toISOString()).toBe('2026-10-24T05:30:00.000Z');
    expect(instantAt('2026-10-25', '07:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T06:30:00.000Z');
    // 02:30 happens twice that night; the first one counts.
    expect(instantAt('2026-10-25', '02:30', 'Europe/Paris').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('follows Mexico City: DST in 2022, none since it was abolished', () => {
    expect(instantAt('2022-04-02', '07:30', 'America/Mexico_City').toISOString()).toBe('2022-04-02T13:30:00.000Z');
    expect(instantAt('2022-04-03', '07:30', 'America/Mexico_City').toISOString()).toBe('2022-04-03T12:30:00.000Z');
    expect(instantAt('2022-10-30', '07:30', 'America/Mexico_City').toISOString()).toBe('2022-10-30T13:30:00.000Z');
    expect(instantAt('2026-04-05', '07:30', 'America/Mexico_City').toISOString()).toBe('2026-04-05T13:30:00.000Z');
  });

  it('handles a half-hour zone (UTC+5:30) and day boundaries', () => {
    expect(instantAt('2026-11-23', '07:30', 'Asia/Kolkata').toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(localMoment(new Date('2026-11-22T18:30:00Z'), 'Asia/Kolkata')).toEqual({ date: '2026-11-23', time: '00:00', weekday: 1 });
    expect(localMoment(new Date('2026-11-22T18:29:00Z'), 'Asia/Kolkata')).toEqual({ date: '2026-11-22', time: '23:59', weekday: 7 });
  });

  it('names the period that just ended', () => {
    expect(previousPeriodStart('2026-11-23', 'week')).toBe('2026-11-16');
    expect(previousPeriodStart('2026-12-01', 'month')).toBe('2026-11-01');
    expect(previousPeriodStart('2027-01-01', 'month')).toBe('2026-12-01');
  });
});
