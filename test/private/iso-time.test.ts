// The one reader of user and AWS CLI date-times: ISO 8601 with a zone, on a real calendar day, within a Date's range.
import { fromEpochSeconds, parseIsoDateTime } from '../../src/private/iso-time';

test.each([
  ['2026-06-01T00:00:00Z', '2026-06-01T00:00:00.000Z'],
  ['2026-06-01T02:00:00+02:00', '2026-06-01T00:00:00.000Z'],
  ['2026-05-20T10:30:00.123456+0200', '2026-05-20T08:30:00.123Z'],
  ['2026-06-01T00:00Z', '2026-06-01T00:00:00.000Z'],
  ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
])('reads %s', (text, iso) => {
  expect(parseIsoDateTime(text)?.toISOString()).toBe(iso);
});

test.each([
  ['a bare number', '1'],
  ['an English date', 'June 1, 2026'],
  ['a time without a zone (it would be read in local time)', '2026-06-01T00:00:00'],
  ['a date without a time', '2026-06-01'],
  ['an impossible day (Date.parse rolls it over to March 2)', '2026-02-30T00:00:00Z'],
  ['February 29 of a year that is not a leap year', '2100-02-29T00:00:00Z'],
  ['month 13', '2026-13-01T00:00:00Z'],
  ['hour 24', '2026-06-01T24:00:00Z'],
  ['second 60', '2026-06-01T23:59:60Z'],
  ['an offset of 24 hours', '2026-06-01T00:00:00+24:00'],
])('refuses %s', (_, text) => {
  expect(parseIsoDateTime(text)).toBeUndefined();
});

test('reads epoch seconds with fractions, and refuses seconds outside the range of a Date', () => {
  expect(fromEpochSeconds(1780128900.123)?.toISOString()).toBe('2026-05-30T08:15:00.123Z');
  expect(fromEpochSeconds(1e13)).toBeUndefined();
  expect(fromEpochSeconds(NaN)).toBeUndefined();
});

test('runs in linear time on a long near-miss', () => {
  const nearMiss = `2026-06-01T00:00:00.${'1'.repeat(200_000)}+00:0`;
  const start = Date.now();
  expect(parseIsoDateTime(nearMiss)).toBeUndefined();
  expect(Date.now() - start).toBeLessThan(500);
});
