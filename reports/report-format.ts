import { SAFE_CSV_CAST } from '../lib/csv-cell.ts';
import { stringify } from 'csv-stringify/sync';
import { SERVICE_LEVELS } from '../domain/service-levels.ts';
import { UNASSIGNED, monthLabel, type Figures, type GroupFigures, type MonthlyReport } from './monthly-figures.ts';

/** The monthly report as chat/terminal text and as CSV. */

const decimal = new Intl.NumberFormat('id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

const pct = (rate: number | null) => (rate === null ? '–' : percent.format(rate));
const wd = (days: number | null) => (days === null ? '–' : `${decimal.format(days)} hk`);

export interface TextOptions {
  /** City name in the heading. */
  cityName?: string;
  /** Chat-sized: at most this many rows per breakdown (the rest summed up as "lainnya"). */
  maxRows?: number;
}

/** Plain text in Indonesian, for the terminal and for /statistik in chat. */
export function formatReportText(report: MonthlyReport, options: TextOptions = {}): string {
  const t = report.total;
  const scope = report.unitCode ?? report.opdCode ?? 'semua OPD';
  const lines = [
    `📊 Statistik ${options.cityName ? `${options.cityName} ` : ''}${monthLabel(report.month)} (${scope})`,
    `Laporan diterima: ${t.received}`,
  ];
  if (t.received === 0) return [...lines, 'Belum ada laporan pada bulan ini.'].join('\n');
  lines.push(
    report.responder === 'opd'
      ? `Tingkat respons ${scope} sendiri: ${pct(t.responseRate)} (${t.responded} dari ${t.received})`
      : `Tingkat respons: ${pct(t.responseRate)} (${t.responded} dari ${t.received})`,
    `Respons pertama${report.responder === 'opd' ? ' sejak diteruskan' : ''}: rata-rata ${wd(t.firstResponseAvgWd)}, median ${wd(t.firstResponseMedianWd)}`,
    `Sampai dijawab: rata-rata ${wd(t.answerAvgWd)}, median ${wd(t.answerMedianWd)} (${t.answered} dijawab)`,
    `SLA verifikasi ≤${SERVICE_LEVELS.verifyWorkingDays} hk: ${pct(t.verifySla.rate)} (${t.verifySla.met}/${t.verifySla.judged})`,
    `SLA tindak lanjut ≤${SERVICE_LEVELS.followUpWorkingDays} hk: ${pct(t.followUpSla.rate)} (${t.followUpSla.met}/${t.followUpSla.judged})`,
    `Kepuasan: ${t.ratingAvg === null ? '–' : `${decimal.format(t.ratingAvg)}/5`} (${t.rated} penilaian), tuntas menurut warga ${pct(t.resolvedRate)} (${t.resolvedYes}/${t.resolvedAnswered})`,
  );
  const s = report.sameProblem;
  if (s.urgent || s.merged || s.supporters) {
    lines.push(
      `Darurat: ${s.urgent} laporan${s.falseAlarms ? ` (${s.falseAlarms} ternyata bukan darurat)` : ''}`,
      `Laporan serupa: ${s.supporters} dukungan warga pada ${s.casesWithSupporters} laporan, ${s.merged} laporan ganda digabung`,
    );
  }
  const section = (title: string, rows: GroupFigures[], label = (r: GroupFigures) => (r.key === UNASSIGNED ? r.name : r.key)) => {
    const shown = options.maxRows ? rows.slice(0, options.maxRows) : rows;
    lines.push('', title);
    for (const r of shown) {
      lines.push(
        `• ${label(r)}: ${r.received} laporan, respons ${pct(r.responseRate)}, ${wd(r.firstResponseAvgWd)} ke respons, SLA ${pct(r.followUpSla.rate)}, puas ${r.ratingAvg === null ? '–' : `${decimal.format(r.ratingAvg)}/5`}`,
      );
    }
    const rest = rows.slice(shown.length);
    if (rest.length) lines.push(`• ${rest.length} lainnya: ${rest.reduce((n, r) => n + r.received, 0)} laporan`);
  };
  if (!report.opdCode) section('Per OPD:', report.byOpd);
  if (!report.unitCode && report.byUnit.length) section('Per unit:', report.byUnit, (r) => r.name);
  section('Per kategori:', report.byCategory);
  section('Per kanal:', report.byChannel, (r) => r.name);
  lines.push(
    '',
    `hk = hari kerja; SLA per baris = tindak lanjut ≤${SERVICE_LEVELS.followUpWorkingDays} hk setelah diteruskan; respons per OPD/unit = jawaban atau pengembalian OPD/unit itu sendiri sejak diteruskan.`,
  );
  return lines.join('\n');
}

const CSV_COLUMNS = [
  'group',
  'key',
  'name',
  'received',
  'responded',
  'response_rate',
  'first_response_avg_wd',
  'first_response_median_wd',
  'answered',
  'answer_avg_wd',
  'answer_median_wd',
  'verify_sla_met',
  'verify_sla_judged',
  'verify_sla_rate',
  'follow_up_sla_met',
  'follow_up_sla_judged',
  'follow_up_sla_rate',
  'rated',
  'rating_avg',
  'resolved_yes',
  'resolved_answered',
  'resolved_rate',
] as const;

/** One row per group (total, each OPD, category and channel); machine-readable numbers (dot decimals). */
export function formatReportCsv(report: MonthlyReport): string {
  const row = (group: string, key: string, name: string, f: Figures) => [
    group,
    key,
    name,
    f.received,
    f.responded,
    f.responseRate,
    f.firstResponseAvgWd,
    f.firstResponseMedianWd,
    f.answered,
    f.answerAvgWd,
    f.answerMedianWd,
    f.verifySla.met,
    f.verifySla.judged,
    f.verifySla.rate,
    f.followUpSla.met,
    f.followUpSla.judged,
    f.followUpSla.rate,
    f.rated,
    f.ratingAvg,
    f.resolvedYes,
    f.resolvedAnswered,
    f.resolvedRate,
  ];
  const rows = [
    row('total', report.opdCode ?? 'ALL', report.month, report.total),
    ...report.byOpd.map((g) => row('opd', g.key, g.name, g)),
    ...report.byUnit.map((g) => row('unit', g.key, g.name, g)),
    ...report.byCategory.map((g) => row('category', g.key, g.name, g)),
    ...report.byChannel.map((g) => row('channel', g.key, g.name, g)),
  ];
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], cast: SAFE_CSV_CAST });
}
