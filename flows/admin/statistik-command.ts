import type { MessageHandler } from '../engine.ts';
import type { Reply } from '../types.ts';
import type { WorkingCalendar } from '../../lib/working-days.ts';
import type { Logger } from '../../lib/logger.ts';
import { computeMonthlyReport } from '../../reports/monthly-report.ts';
import { monthLabel, monthOf, MONTH_PATTERN } from '../../reports/monthly-figures.ts';
import { formatReportText } from '../../reports/report-format.ts';
import { errorCode } from '../../lib/errors.ts';
import { findActiveAdmin } from '../../db/admins.ts';
import { statisticsScope } from '../../domain/case-access.ts';

/** A chat message has room for the totals and the busiest rows; `npm run report` has everything. */
const CHAT_MAX_ROWS = 8;

const COMMAND = /^\/statistik(?:@\S+)?(?:\s+(.*))?$/i;

const MONTHS: Array<[number, string[]]> = [
  [1, ['januari', 'jan', 'january']],
  [2, ['februari', 'feb', 'pebruari', 'february']],
  [3, ['maret', 'mar', 'march']],
  [4, ['april', 'apr']],
  [5, ['mei', 'may']],
  [6, ['juni', 'jun', 'june']],
  [7, ['juli', 'jul', 'july']],
  [8, ['agustus', 'agu', 'agt', 'aug', 'august']],
  [9, ['september', 'sep', 'sept']],
  [10, ['oktober', 'okt', 'oct', 'october']],
  [11, ['november', 'nov', 'nop', 'nopember']],
  [12, ['desember', 'des', 'dec', 'december']],
];

const USAGE =
  'Format: /statistik [bulan]\nContoh: /statistik, /statistik 2026-11, /statistik november 2026, /statistik lalu.\nTanpa bulan: bulan ini.';

/**
 * The month an admin asked for: empty = this month, "lalu" = last month, YYYY-MM, MM/YYYY or MM-YYYY, or a
 * month name (Indonesian or English, optional year; without a year, the most recent such month).
 */
export function parseMonthArgument(arg: string | undefined, now: Date, calendar: WorkingCalendar): string | undefined {
  const current = monthOf(calendar, now);
  const [year, month] = current.split('-').map(Number);
  const text = (arg ?? '').trim().toLowerCase();
  const ym = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
  if (text === '' || text === 'ini' || text === 'bulan ini') return current;
  if (text === 'lalu' || text === 'bulan lalu') return month === 1 ? ym(year - 1, 12) : ym(year, month - 1);
  if (MONTH_PATTERN.test(text)) return text;
  const numeric = /^(\d{1,2})[/-](\d{4})$/.exec(text);
  if (numeric) {
    const m = Number(numeric[1]);
    return m >= 1 && m <= 12 ? ym(Number(numeric[2]), m) : undefined;
  }
  const named = /^([a-z]+)\.?(?:\s+(\d{4}))?$/.exec(text);
  if (!named) return undefined;
  const m = MONTHS.find(([, names]) => names.includes(named[1]))?.[0];
  if (!m) return undefined;
  if (named[2]) return ym(Number(named[2]), m);
  return m <= month ? ym(year, m) : ym(year - 1, m);
}

export interface StatistikDeps {
  calendar: WorkingCalendar;
  /** Where the chart PNG is written (DATA_DIR); the reply names it relative to this folder. */
  dataDir: string;
  cityName: string;
  log: Logger;
}

/**
 * `/statistik [bulan]` for admins: the month's figures as text plus a PNG chart. The admin instansi sees the
 * whole city, an OPD's admin penghubung only its own OPD. Anyone else falls through to the citizen flow, which
 * answers as it does any unknown command, so the command's existence is not revealed.
 */
export function createStatistikHandler(deps: StatistikDeps): MessageHandler {
  return async (message, { db, now }) => {
    const match = COMMAND.exec(message.text?.trim() ?? '');
    if (!match) return undefined;
    const admin = await findActiveAdmin(db, message.key);
    if (!admin) return undefined;
    const scope = statisticsScope(admin);
    if (!scope) return [{ text: 'Akun admin Anda belum terhubung ke OPD mana pun. Hubungi admin instansi.' }];
    const month = parseMonthArgument(match[1], now, deps.calendar);
    if (!month) return [{ text: `Bulan "${match[1]}" tidak saya kenali.\n${USAGE}` }];
    if (month > monthOf(deps.calendar, now)) return [{ text: `${monthLabel(month)} belum berjalan, jadi belum ada statistiknya.\n${USAGE}` }];

    const { opdCode, unitCode, excludeAccusedOf } = scope;
    const report = await computeMonthlyReport(db, deps.calendar, { month, opdCode, unitCode, excludeAccusedOf, now });
    const replies: Reply[] = [{ text: formatReportText(report, { cityName: deps.cityName, maxRows: CHAT_MAX_ROWS }) }];
    if (report.total.received === 0) return replies;
    try {
      // Loaded on first use: the native canvas stays out of start-up, and a missing binary only costs the picture.
      const { writeReportChart } = await import('../../reports/report-chart.ts');
      const chart = await writeReportChart(report, deps.dataDir);
      replies.push({ text: `Grafik laporan dan waktu respons per OPD, ${monthLabel(month)}.`, image: { path: chart } });
    } catch (err) {
      // The figures matter more than the picture: send them even if rendering fails.
      deps.log.error({ code: errorCode(err), adminId: admin.id }, 'statistics chart failed');
      replies.push({ text: 'Grafik belum bisa dibuat saat ini; angka di atas tetap berlaku.' });
    }
    deps.log.info({ adminId: admin.id, month, opdCode, unitCode }, 'statistics sent');
    return replies;
  };
}
