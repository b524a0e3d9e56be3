/** The zone's UTC offset at an instant, in minutes (Intl's "longOffset": "GMT+07:00", or "GMT" for UTC). */
function offsetMinutes(at: Date, timezone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/**
 * ISO 8601 with the city's offset and no milliseconds (2026-11-20T10:00:00+07:00), as Open311 asks ("a common
 * subset of ISO 8601 … timezone information must be included") and as people in the city read the time.
 */
export function isoWithOffset(at: Date, timezone: string): string {
  const minutes = offsetMinutes(at, timezone);
  const local = new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  if (minutes === 0) return `${local}Z`;
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A client's start_date / end_date: a date-time with or without zone (without: city time), or a bare date
 * (a start means the day's first instant, an end its last). null when it is not such a value or not a real date.
 */
export function parseOpen311Date(value: string, timezone: string, bound: 'start' | 'end'): Date | null {
  const cityOffset = (at: Date) => isoWithOffset(at, timezone).slice(19).replace('Z', '+00:00');
  let text: string;
  const dateOnly = DATE_ONLY.exec(value);
  if (dateOnly) text = `${value}T00:00:00`;
  else if (DATE_TIME.test(value)) text = value;
  else return null;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return null;
  const asUtc = new Date(`${text.replace(/(Z|[+-]\d{2}:?\d{2})$/, '')}Z`);
  if (Number.isNaN(asUtc.getTime())) return null;
  const zoned = DATE_TIME.exec(text)?.[7] ? text : `${text}${cityOffset(asUtc)}`;
  const at = new Date(zoned);
  if (Number.isNaN(at.getTime())) return null;
  return dateOnly && bound === 'end' ? new Date(at.getTime() + 24 * 60 * 60 * 1000 - 1) : at;
}
