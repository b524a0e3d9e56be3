import type { AdminRole } from '../../domain/case-status.ts';
import type { Reply } from '../types.ts';

/**
 * What admins read: alerts, the inbox, case details. Pure rendering from plain data; the one place that
 * decides what an admin penghubung may see of the reporter (nothing, on an anonymous case).
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
};

const PRIVACY_NOTE: Record<string, string> = {
  anonim: 'ANONIM: identitas pelapor dirahasiakan dari OPD',
  rahasia: 'RAHASIA: isi laporan tidak untuk publik',
};

export type AlertKind = 'new' | 'forwarded' | 'returned' | 'reopened' | 'unresolved' | 'info';

export interface AlertFacts {
  trackingId: string;
  description: string;
  categoryName: string | null;
  opdCode: string | null;
  opdName: string | null;
  locationText: string | null;
  lowConfidence: boolean;
  privacy: string;
  /** Only set for viewers allowed to see it (admin instansi, never on an anonymous case). */
  reporterName: string | null;
  note?: string;
  fromOpd?: string;
}

const MAX_ALERT_DESCRIPTION = 300;

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function caseLines(f: AlertFacts): string[] {
  return [
    `Kategori: ${f.categoryName ?? '-'} · OPD: ${f.opdCode ?? '-'}${f.lowConfidence ? ' · ⚠️ klasifikasi ragu, mohon dicek' : ''}`,
    PRIVACY_NOTE[f.privacy],
    f.reporterName ? `Pelapor: ${f.reporterName}` : f.privacy === 'anonim' ? 'Pelapor: Anonim' : undefined,
    f.locationText ? `Lokasi: ${f.locationText}` : undefined,
    `Uraian: ${shorten(f.description, MAX_ALERT_DESCRIPTION)}`,
  ].filter((x): x is string => x !== undefined);
}

/** The text of an outbox alert to an admin about a case. */
export function adminAlertText(kind: AlertKind, f: AlertFacts): string {
  const id = f.trackingId;
  switch (kind) {
    case 'new':
      return [
        `🆕 Laporan baru ${id}`,
        ...caseLines(f),
        '',
        `Detail: /kasus ${id}\nVerifikasi dan teruskan: /teruskan ${id} ${f.opdCode ?? '<OPD>'}\nTolak: /tolak ${id} <alasan>`,
      ].join('\n');
    case 'forwarded':
      return [
        `📨 Laporan ${id} diteruskan ke ${f.opdName ?? f.opdCode} untuk ditindaklanjuti.`,
        ...caseLines(f),
        '',
        `Detail: /kasus ${id}\nJawab: /balas ${id} <tanggapan> (atau balas pesan ini)\nBukan wewenang: /kembalikan ${id} <alasan>`,
      ].join('\n');
    case 'returned':
      return [
        `↩️ ${f.fromOpd ?? 'OPD'} mengembalikan laporan ${id} (bukan wewenang).`,
        `Alasan: ${f.note ?? '-'}`,
        `Uraian: ${shorten(f.description, MAX_ALERT_DESCRIPTION)}`,
        '',
        `Teruskan ke OPD lain: /teruskan ${id} <kode OPD>`,
      ].join('\n');
    case 'reopened':
      return [
        `🔁 Pelapor belum puas: laporan ${id} dibuka kembali.`,
        `Kata pelapor: ${f.note ?? '-'}`,
        '',
        `Jawab lagi: /balas ${id} <tanggapan> (atau balas pesan ini)`,
      ].join('\n');
    case 'unresolved':
      return [
        `❗ Laporan ${id} ditutup sebagai BELUM TERSELESAIKAN: pelapor masih belum puas setelah laporan dibuka kembali.`,
        `OPD: ${f.opdName ?? f.opdCode ?? '-'}`,
        `Kata pelapor: ${f.note ?? '-'}`,
        '',
        `Detail: /kasus ${id}`,
      ].join('\n');
    case 'info':
      return [`➕ Pelapor menambahkan keterangan pada laporan ${id}:`, f.note ?? '', '', `Detail: /kasus ${id}`].join('\n');
  }
}

export interface InboxItem {
  trackingId: string;
  status: string;
  description: string;
  categoryName: string | null;
  opdCode: string | null;
  dueAt: Date | null;
  overdue: boolean;
  lowConfidence: boolean;
  privacy: string;
}

export interface InboxSection {
  title: string;
  items: InboxItem[];
  /** How many more than shown. */
  more: number;
}

export function renderInbox(sections: InboxSection[], formatDate: (d: Date) => string): Reply[] {
  const total = sections.reduce((n, s) => n + s.items.length + s.more, 0);
  if (total === 0) return [{ text: '📥 Antrean kosong. Tidak ada laporan yang menunggu. 👍' }];
  const lines = [`📥 Antrean (${total} laporan; yang lewat tenggat di atas)`];
  for (const section of sections) {
    if (section.items.length === 0) continue;
    lines.push('', `${section.title}:`);
    section.items.forEach((item, i) => {
      const due = item.dueAt ? ` · tenggat ${formatDate(item.dueAt)}${item.overdue ? ' (LEWAT)' : ''}` : '';
      const flags = [item.lowConfidence && item.status === 'submitted' ? '⚠️klasifikasi ragu' : undefined, item.privacy !== 'biasa' ? item.privacy : undefined]
        .filter(Boolean)
        .join(' ');
      lines.push(
        `${i + 1}. ${item.overdue ? '⏰ ' : ''}${item.trackingId} · ${ADMIN_STATUS_LABELS[item.status] ?? item.status} · ${item.categoryName ?? '-'} → ${item.opdCode ?? '-'}${due}${flags ? ` · ${flags}` : ''}`,
        `   ${shorten(item.description, 80)}`,
      );
    });
    if (section.more > 0) lines.push(`… dan ${section.more} lainnya.`);
  }
  lines.push('', 'Lihat detail: /kasus <nomor>');
  return [{ text: lines.join('\n') }];
}

export interface AdminCaseView {
  trackingId: string;
  status: string;
  reportKind: string;
  description: string;
  categoryCode: string | null;
  categoryName: string | null;
  opdCode: string | null;
  opdName: string | null;
  privacy: string;
  locationText: string | null;
  area: string | null;
  latitude: number | null;
  longitude: number | null;
  submittedAt: Date;
  verifyDueAt: Date | null;
  followUpDueAt: Date | null;
  autoCloseAt: Date | null;
  confidence: number | null;
  classifier: string | null;
  lowConfidence: boolean;
  reopenCount: number;
  rating: number | null;
  resolved: boolean | null;
  /** Null when the viewer may not know who reported it. */
  reporter: { name: string | null; phone: string | null; conversationKey: string | null } | null;
  photos: string[];
  events: Array<{ at: Date; actor: string; action: string; note: string | null; internal: boolean }>;
}

/**
 * Removes what a viewer may not see. An admin penghubung never sees the identity on an anonymous case, nor
 * the reporter's phone or chat on any case (the OPD answers through the bot, not privately).
 */
export function redactForViewer(view: AdminCaseView, role: AdminRole): AdminCaseView {
  if (role === 'instansi') return view;
  const reporter = view.privacy === 'anonim' || !view.reporter ? null : { name: view.reporter.name, phone: null, conversationKey: null };
  return { ...view, reporter };
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
