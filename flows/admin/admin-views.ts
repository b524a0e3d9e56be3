import type { Reply } from '../types.ts';
import type { AdminCaseRecord } from '../../db/admin-queries.ts';
import type { InboxSection } from '../../cases/admin-inbox.ts';
import { redactReporterFor, type AdminViewer } from '../../domain/case-access.ts';
import { EMERGENCY_KIND_LABELS, PRIVACY_NOTE, shorten, supportersLine } from '../../domain/case-notices.ts';

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

export function renderInbox(sections: InboxSection[], formatDate: (d: Date) => string): Reply[] {
  const total = sections.reduce((n, s) => n + s.items.length + s.more, 0);
  if (total === 0) return [{ text: '📥 Antrean kosong. Tidak ada laporan yang menunggu. 👍' }];
  const lines = [`📥 Antrean (${total} laporan; yang darurat dan lewat tenggat di atas)`];
  for (const section of sections) {
    if (section.items.length === 0) continue;
    lines.push('', `${section.title}:`);
    section.items.forEach((item, i) => {
      const due = item.dueAt ? ` · tenggat ${formatDate(item.dueAt)}${item.overdue ? ' (LEWAT)' : ''}` : '';
      const flags = [
        item.lowConfidence && item.status === 'submitted' ? '⚠️klasifikasi ragu' : undefined,
        item.privacy !== 'biasa' ? item.privacy : undefined,
        item.supporterCount ? `👥${item.supporterCount}` : undefined,
      ]
        .filter(Boolean)
        .join(' ');
      lines.push(
        `${i + 1}. ${item.urgent ? '🚨 ' : ''}${item.overdue ? '⏰ ' : ''}${item.trackingId} · ${ADMIN_STATUS_LABELS[item.status] ?? item.status} · ${item.categoryName ?? '-'} → ${item.opdCode ?? '-'}${due}${flags ? ` · ${flags}` : ''}`,
        `   ${shorten(item.description, 80)}`,
      );
    });
    if (section.more > 0) lines.push(`… dan ${section.more} lainnya.`);
  }
  lines.push('', 'Lihat detail: /kasus <nomor>');
  return [{ text: lines.join('\n') }];
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

export function renderCase(view: AdminCaseView, formatDateTime: (d: Date) => string): Reply[] {
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
    `OPD: ${v.opdName ? `${v.opdName} (${v.opdCode})` : '-'}`,
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
  const replies: Reply[] = [{ text: lines.join('\n'), caseRef: v.trackingId }];
  v.photos.forEach((path, i) => replies.push({ text: `Foto ${i + 1}/${v.photos.length} laporan ${v.trackingId}`, image: { path }, caseRef: v.trackingId }));
  return replies;
}
