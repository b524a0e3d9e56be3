import type { Language } from './messages.ts';
import type { CaseDeadline } from './case-deadlines.ts';
import { SERVICE_LEVELS } from './service-levels.ts';

/**
 * The daily job's notices to admins: reminders to an OPD, escalations to the admin instansi and the daily
 * summary. They name the case, its category and a short quote, never the reporter, so the same text is safe
 * for an OPD admin on an anonim case; the summary only counts (domain/case-access.ts, "daily-summary").
 */

/** Longest excerpt of a complaint quoted in an admin notice; the full text is one /kasus away. */
const EXCERPT_CHARS = 80;

/** What a reminder says about a case. */
export interface ReminderCase {
  trackingId: string;
  status: string;
  privacy: string;
  description: string;
  opdCode: string | null;
  opdName: string | null;
  categoryName: string | null;
}

export interface SummaryCounts {
  open: number;
  unanswered: number;
  overdue: number;
}

export function formatDay(at: Date, timezone: string, lang: Language = 'id'): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'id-ID', {
    timeZone: timezone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(at);
}

/**
 * A short quote of the complaint. These notices go only to admins who handle the case, who may read a rahasia
 * case's content (domain/case-access.ts); the case is flagged so it is not passed on.
 */
function excerpt(c: ReminderCase): string {
  const text = c.description.replace(/\s+/g, ' ').trim();
  const quoted = text.length > EXCERPT_CHARS ? `"${text.slice(0, EXCERPT_CHARS - 1)}…"` : `"${text}"`;
  return c.privacy === 'rahasia' ? `${quoted} (RAHASIA: jangan disebarkan)` : quoted;
}

// Admin notices name the case, its category and an excerpt, never the reporter: the same text is safe for an
// OPD admin on an anonim case.
function caseLines(c: ReminderCase): string {
  return [`Kategori: ${c.categoryName ?? '-'}`, `Isi: ${excerpt(c)}`].join('\n');
}

export function dueSoonText(c: ReminderCase, deadline: CaseDeadline, timezone: string): string {
  return [
    `⏰ Pengingat: laporan ${c.trackingId} harus ditindaklanjuti paling lambat ${formatDay(deadline.dueAt, timezone)} (hari kerja berikutnya).`,
    caseLines(c),
    `Kirim jawaban dengan /balas ${c.trackingId} <jawaban>.`,
  ].join('\n');
}

export function overdueText(c: ReminderCase, deadline: CaseDeadline, timezone: string): string {
  return [
    `⚠️ Laporan ${c.trackingId} sudah melewati batas waktu tindak lanjut (${formatDay(deadline.dueAt, timezone)}).`,
    caseLines(c),
    `Mohon segera dijawab dengan /balas ${c.trackingId} <jawaban>. Kasus ini juga dilaporkan ke admin instansi.`,
  ].join('\n');
}

export function escalationText(c: ReminderCase, deadline: CaseDeadline, timezone: string): string {
  const what =
    deadline.kind === 'verify'
      ? c.status === 'rerouted'
        ? `dikembalikan ${c.opdCode ?? 'OPD'} (bukan wewenang) dan belum diteruskan lagi melewati batas ${SERVICE_LEVELS.verifyWorkingDays} hari kerja`
        : `belum diverifikasi dan diteruskan melewati batas ${SERVICE_LEVELS.verifyWorkingDays} hari kerja`
      : `belum ditindaklanjuti oleh ${c.opdName ?? c.opdCode ?? 'OPD'} melewati batas ${SERVICE_LEVELS.followUpWorkingDays} hari kerja`;
  return [
    `🚨 Eskalasi: laporan ${c.trackingId} ${what} (batas ${formatDay(deadline.dueAt, timezone)}).`,
    caseLines(c),
    `Lihat detailnya dengan /kasus ${c.trackingId}.`,
  ].join('\n');
}

export function summaryText(counts: SummaryCounts, admin: { role: string; opdCode: string | null; unitCode?: string | null }, now: Date, timezone: string): string {
  const scope = admin.role === 'instansi' ? 'semua OPD' : (admin.unitCode ?? admin.opdCode);
  return [
    `📋 Ringkasan ${formatDay(now, timezone)} (${scope}):`,
    `• Terbuka: ${counts.open}`,
    `• Belum dijawab: ${counts.unanswered}`,
    `• Lewat batas waktu: ${counts.overdue}`,
    'Ketik /inbox untuk melihat antrean.',
  ].join('\n');
}
