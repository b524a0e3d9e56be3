import type { Choice, Reply } from '../types.ts';
import type { AdminCaseRecord } from '../../db/admin-queries.ts';
import { INBOX_PAGE_SIZE, type InboxItem, type InboxPage } from '../../cases/admin-inbox.ts';
import { redactReporterFor, type AdminViewer } from '../../domain/case-access.ts';
import { EMERGENCY_KIND_LABELS, PRIVACY_NOTE, shorten, supportersLine } from '../../domain/case-notices.ts';
import type { ActionMenu } from '../../domain/admin-actions.ts';

/**
 * What admins read in chat: the inbox and case details. Pure rendering from plain data; what a viewer may see
 * is decided in domain/case-access.ts, the alerts' texts live in domain/case-notices.ts.
 */

export const ADMIN_STATUS_LABELS: Record<string, string> = {
  submitted: 'baru, menunggu verifikasi',
  verified: 'terverifikasi, belum diteruskan',
  forwarded: 'di OPD, menunggu tanggapan',
  rerouted: 'dikembalikan OPD (bukan wewenang)',
  answered: 'sudah dijawab, menunggu pelapor',
  reopened: 'dibuka kembali oleh pelapor',
  rejected: 'ditolak',
  closed: 'selesai',
};

const EVENT_LABELS: Record<string, string> = {
  submitted: 'dilaporkan',
  verified: 'diverifikasi',
  forwarded: 'diteruskan',
  returned: 'dikembalikan OPD (bukan wewenang)',
  disposed: 'didisposisikan ke unit',
  unit_returned: 'dikembalikan unit ke OPD',
  rejected: 'ditolak',
  answered: 'dijawab',
  noted: '🔒 catatan internal',
  closed: 'ditutup',
  satisfied: 'pelapor puas, ditutup',
  reopened: 'dibuka kembali oleh pelapor',
  closed_unresolved: 'ditutup: belum terselesaikan',
  info_added: 'keterangan tambahan dari pelapor',
  rated: 'dinilai pelapor',
  auto_closed: 'ditutup otomatis',
  emergency_cleared: '✅ tanda darurat dicabut',
  merged: '🔗 digabung ke laporan utama',
  duplicate_merged: '🔗 laporan serupa digabung ke sini',
  supported: '👥 warga lain mendukung laporan ini',
};

/** One numbered line (and a short excerpt) per case of a list page. */
function itemLines(items: InboxItem[], firstNumber: number, formatDate: (d: Date) => string): string[] {
  return items.flatMap((item, i) => {
    const due = item.dueAt ? ` · tenggat ${formatDate(item.dueAt)}${item.overdue ? ' (LEWAT)' : ''}` : '';
    const flags = [
      item.lowConfidence && item.status === 'submitted' ? '⚠️klasifikasi ragu' : undefined,
      item.privacy !== 'biasa' ? item.privacy : undefined,
      item.supporterCount ? `👥${item.supporterCount}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    const holder = `${item.opdCode ?? '-'}${item.unitCode ? `/${item.unitCode}` : ''}`;
    return [
      `${firstNumber + i}. ${item.urgent ? '🚨 ' : ''}${item.overdue ? '⏰ ' : ''}${item.trackingId} · ${ADMIN_STATUS_LABELS[item.status] ?? item.status} · ${item.categoryName ?? '-'} → ${holder}${due}${flags ? ` · ${flags}` : ''}`,
      `   ${shorten(item.description, 80)}`,
    ];
  });
}

/**
 * The page's navigation: a "next page" button on Telegram (its value is the command itself, so a press is the
 * same as typing it), the command to type elsewhere.
 */
function pageNavigation(page: InboxPage, command: (page: number) => string, channel: string): Pick<Reply, 'choices' | 'keepChoices'> & { lines: string[] } {
  const lines: string[] = [];
  const choices: Choice[] = [];
  if (page.page > 1) {
    if (channel === 'tg') choices.push({ label: '◀ Sebelumnya', value: command(page.page - 1) });
    else lines.push(`Halaman sebelumnya: ${command(page.page - 1)}`);
  }
  if (page.page < page.pages) {
    if (channel === 'tg') choices.push({ label: 'Berikutnya ▶', value: command(page.page + 1) });
    else lines.push(`Halaman berikutnya: ${command(page.page + 1)}`);
  }
  return { lines, ...(choices.length ? { choices, keepChoices: true } : {}) };
}

/**
 * One page of /inbox: "halaman x/y", urgent then overdue first. `args` are the filter words without the page, to build the
 * next page's command.
 */
export function renderInbox(page: InboxPage, args: string, channel: string, formatDate: (d: Date) => string): Reply[] {
  const filtered = args.trim().length > 0;
  if (page.total === 0) {
    return [{ text: filtered ? `📥 Tidak ada laporan yang cocok dengan "/inbox ${args.trim()}".` : '📥 Antrean kosong. Tidak ada laporan yang menunggu. 👍' }];
  }
  const command = (n: number) => `/inbox ${args.trim() ? `${args.trim()} ` : ''}${n}`;
  const nav = pageNavigation(page, command, channel);
  const lines = [
    `📥 Antrean${filtered ? ` (${args.trim()})` : ''}: ${page.total} laporan · halaman ${page.page}/${page.pages}${page.page === 1 ? ' · yang darurat dan lewat tenggat di atas' : ''}`,
    '',
    ...itemLines(page.items, (page.page - 1) * INBOX_PAGE_SIZE + 1, formatDate),
    '',
    ...nav.lines,
    'Lihat detail: /kasus <nomor> · Saring: /inbox terlambat, /inbox <OPD/unit>, /inbox semua',
  ];
  return [{ text: lines.join('\n'), ...(nav.choices ? { choices: nav.choices, keepChoices: true } : {}) }];
}

/** One page of /cari results. */
export function renderSearch(page: InboxPage, words: string, channel: string, formatDate: (d: Date) => string): Reply[] {
  if (page.total === 0) return [{ text: `🔎 Tidak ada laporan (yang boleh Anda lihat) dengan "${words}".` }];
  const command = (n: number) => `/cari ${words} hal ${n}`;
  const nav = pageNavigation(page, command, channel);
  const lines = [
    `🔎 "${words}": ${page.total} laporan · halaman ${page.page}/${page.pages}`,
    '',
    ...itemLines(page.items, (page.page - 1) * INBOX_PAGE_SIZE + 1, formatDate),
    '',
    ...nav.lines,
    'Lihat detail: /kasus <nomor>',
  ];
  return [{ text: lines.join('\n'), ...(nav.choices ? { choices: nav.choices, keepChoices: true } : {}) }];
}

/** A case as an admin reads it in /kasus, after redactForViewer. */
export type AdminCaseView = AdminCaseRecord;

/**
 * Removes what a viewer may not see of the reporter (domain/case-access.ts): an OPD admin never sees the
 * identity on an anonymous case, nor the reporter's phone or chat on any case (it answers through the bot).
 */
export function redactForViewer(view: AdminCaseRecord, viewer: AdminViewer): AdminCaseView {
  return { ...view, reporter: redactReporterFor(viewer, view, view.reporter) };
}

export function renderCase(view: AdminCaseView, formatDateTime: (d: Date) => string, menu: ActionMenu = {}): Reply[] {
  const v = view;
  const deadlines = [
    v.status === 'submitted' || v.status === 'verified' || v.status === 'rerouted' ? (v.verifyDueAt ? `verifikasi ${formatDateTime(v.verifyDueAt)}` : undefined) : undefined,
    v.status === 'forwarded' || v.status === 'reopened' ? (v.followUpDueAt ? `tindak lanjut ${formatDateTime(v.followUpDueAt)}` : undefined) : undefined,
    v.status === 'answered' && v.autoCloseAt ? `tutup otomatis ${formatDateTime(v.autoCloseAt)}` : undefined,
  ].filter(Boolean);
  const reporter = v.reporter
    ? [v.reporter.name ?? '(tanpa nama)', v.reporter.phone, v.reporter.conversationKey].filter(Boolean).join(' · ') +
      (v.privacy === 'anonim' ? ' — ANONIM, jangan diteruskan ke OPD' : '')
    : 'Anonim (identitas dirahasiakan)';
  const lines = [
    `📄 Laporan ${v.trackingId}`,
    v.urgent ? `🚨 DARURAT${v.emergencyKind ? ` (${EMERGENCY_KIND_LABELS[v.emergencyKind] ?? v.emergencyKind})` : ''} · bukan darurat? /bukandarurat ${v.trackingId}` : undefined,
    v.mergedIntoTrackingId ? `🔗 Digabung ke ${v.mergedIntoTrackingId}` : undefined,
    supportersLine(v.supporterCount),
    `Status: ${ADMIN_STATUS_LABELS[v.status] ?? v.status}${v.reopenCount ? ` (dibuka kembali ${v.reopenCount}×)` : ''}`,
    `Jenis: ${v.reportKind} · Kategori: ${v.categoryName ?? '-'} (${v.categoryCode ?? '-'})`,
    `OPD: ${v.opdName ? `${v.opdName} (${v.opdCode})` : '-'}${v.unitName ? ` · Unit: ${v.unitName} (${v.unitCode})` : ''}`,
    `Klasifikasi: ${v.classifier ?? '-'}${v.confidence !== null ? ` ${Math.round(v.confidence * 100)}%` : ''}${v.lowConfidence ? ' ⚠️ ragu' : ''}`,
    `Privasi: ${v.privacy}${PRIVACY_NOTE[v.privacy] ? ` (${PRIVACY_NOTE[v.privacy]})` : ''}`,
    `Pelapor: ${reporter}`,
    `Masuk: ${formatDateTime(v.submittedAt)}${deadlines.length ? ` · Tenggat: ${deadlines.join(', ')}` : ''}`,
    v.locationText || v.latitude !== null
      ? `Lokasi: ${[v.locationText, v.area, v.latitude !== null ? `${v.latitude.toFixed(5)},${v.longitude?.toFixed(5)}` : null].filter(Boolean).join(' · ')}`
      : undefined,
    v.rating !== null ? `Nilai pelapor: ${v.rating}/5` : undefined,
    v.resolved === false ? 'Hasil: BELUM TERSELESAIKAN' : undefined,
    '',
    `Uraian: ${v.description}`,
    '',
    'Riwayat:',
    ...v.events.map((e) => `• ${formatDateTime(e.at)} ${EVENT_LABELS[e.action] ?? e.action} (${e.actor})${e.note ? `: ${e.note}` : ''}`),
  ].filter((x): x is string => x !== undefined);
  if (menu.text) lines.push('', menu.text);
  const replies: Reply[] = [{ text: lines.join('\n'), caseRef: v.trackingId, ...(menu.choices ? { choices: menu.choices, keepChoices: true } : {}) }];
  v.photos.forEach((path, i) => replies.push({ text: `Foto ${i + 1}/${v.photos.length} laporan ${v.trackingId}`, image: { path }, caseRef: v.trackingId }));
  return replies;
}
