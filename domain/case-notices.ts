import type { Language } from './messages.ts';
import { fillTemplate } from './fill-template.ts';

/**
 * Every notice about a case: what the citizen reads after filing (notifications of each change and the
 * follow-up replies) and the alerts an admin receives. What a notice may contain is decided in
 * domain/case-access.ts; these functions render what they are given.
 */

// ---- to the citizen ---------------------------------------------------------------------------------------

/**
 * What the citizen reads about their case after filing: notifications of each change, and the replies of the
 * follow-up (puas / belum / rating / added information). Kept apart from texts.ts so the intake texts and
 * these can change independently.
 */
const id = {
  verified: 'Laporan {trackingId} sudah diverifikasi petugas dan segera diteruskan ke instansi yang berwenang.',
  forwarded:
    'Laporan {trackingId} sudah diverifikasi dan diteruskan ke {opdName}. Instansi tersebut akan menindaklanjuti paling lambat {days} hari kerja. Kakak akan dikabari di sini.\nMau menambah keterangan? Ketik: tambah {trackingId} <keterangan>',
  rejected:
    'Mohon maaf, laporan {trackingId} tidak dapat kami proses.\nAlasan: {reason}\n\nKalau masih ada masalah, silakan kirim laporan baru dengan keterangan yang lebih lengkap.',
  answered:
    'Tanggapan {opdName} untuk laporan {trackingId}:\n\n{answer}\n\nApakah masalahnya sudah selesai? Balas puas kalau sudah, atau belum kalau masih ada masalah. Tanpa balasan, laporan ditutup otomatis setelah {days} hari kerja.',
  closedByAdmin: 'Laporan {trackingId} sudah ditutup. Terima kasih sudah melapor. Kalau ada masalah baru, kirim saja laporan baru.',
  choiceSatisfied: 'Puas, sudah selesai',
  choiceUnsatisfied: 'Belum selesai',
  thanksAskRating: 'Terima kasih! Laporan {trackingId} kami tutup sebagai selesai. ✅\nBoleh beri nilai layanannya? Balas angka 1 (buruk) sampai 5 (sangat baik).',
  ratingThanks: 'Terima kasih atas penilaiannya, Kak ({rating}/5). Masukan Kakak membantu kami memperbaiki layanan.',
  ratingReask: 'Balas dengan angka 1 sampai 5, ya. Atau ketik lewati kalau tidak ingin memberi nilai.',
  ratingSkipped: 'Baik, tidak apa-apa. Terima kasih sudah melapor.',
  askWhatIsWrong: 'Mohon maaf, masalahnya belum selesai. Apa yang masih belum beres dari laporan {trackingId}? Ceritakan singkat, nanti kami teruskan lagi ke instansinya.',
  reasonTooShort: 'Tolong jelaskan sedikit lebih lengkap apa yang belum selesai, ya.',
  reopened: 'Baik, laporan {trackingId} dibuka kembali dan dikembalikan ke {opdName} beserta penjelasan Kakak. Kami kabari lagi setelah ada tanggapan.',
  closedUnresolved:
    'Mohon maaf, masalahnya masih belum selesai. Laporan {trackingId} sudah pernah dibuka kembali, jadi kami tutup sebagai belum terselesaikan dan kami laporkan ke admin kota untuk ditinjau.',
  infoAdded: 'Keterangan tambahan untuk laporan {trackingId} sudah kami teruskan. Terima kasih.',
  caseNotOpen: 'Laporan {trackingId} sudah tidak aktif (status: {status}), jadi keterangan tidak bisa ditambahkan. Kirim laporan baru kalau ada masalah baru.',
  addInfoUsage: 'Untuk menambah keterangan, ketik: tambah <nomor laporan> <keterangan>. Contoh: tambah LPR-ABC234 lubangnya makin lebar',
  autoClosed:
    'Laporan {trackingId} kami tutup karena tidak ada tanggapan dari Kakak selama {days} hari kerja setelah tindak lanjut dikirim. Terima kasih sudah melapor! Kalau masalahnya belum selesai, silakan kirim laporan baru.',
  followUpClosed:
    'Laporan {trackingId} sudah ditutup, jadi jawaban puas/belum tidak bisa dicatat lagi. Kalau masalahnya belum selesai, silakan kirim laporan baru: ceritakan saja masalahnya di sini.',
  followUpNotPending: 'Laporan {trackingId} sedang ditangani lagi oleh instansi (status: {status}). Kami kabari setelah ada tanggapan baru.',
};

export type FollowUpTextKey = keyof typeof id;

const en: Record<FollowUpTextKey, string> = {
  verified: 'Report {trackingId} has been verified and will shortly be forwarded to the agency in charge.',
  forwarded:
    'Report {trackingId} has been verified and forwarded to {opdName}. The agency will follow up within {days} working days. We will keep you updated here.\nTo add information, type: tambah {trackingId} <information>',
  rejected:
    'Sorry, report {trackingId} cannot be processed.\nReason: {reason}\n\nIf there is still a problem, please send a new report with more details.',
  answered:
    "{opdName}'s answer to report {trackingId}:\n\n{answer}\n\nIs the problem solved? Reply solved if it is, or not solved if it is not. Without a reply the report closes after {days} working days.",
  closedByAdmin: 'Report {trackingId} has been closed. Thank you for reporting. Send a new report if anything else comes up.',
  choiceSatisfied: 'Yes, solved',
  choiceUnsatisfied: 'Not solved yet',
  thanksAskRating: 'Thank you! Report {trackingId} is closed as solved. ✅\nCould you rate the service? Reply 1 (poor) to 5 (very good).',
  ratingThanks: 'Thank you for your rating ({rating}/5). It helps us improve.',
  ratingReask: 'Please reply with a number from 1 to 5, or type skip.',
  ratingSkipped: 'No problem. Thank you for reporting.',
  askWhatIsWrong: 'Sorry it is not solved yet. What is still wrong with report {trackingId}? Tell us briefly and we will pass it back to the agency.',
  reasonTooShort: 'Please explain a little more what is still not solved.',
  reopened: 'Report {trackingId} is reopened and sent back to {opdName} with your explanation. We will tell you when they answer.',
  closedUnresolved:
    'Sorry the problem is still not solved. Report {trackingId} was already reopened once, so it is closed as unresolved and passed to the city admin for review.',
  infoAdded: 'Your additional information for report {trackingId} has been passed on. Thank you.',
  caseNotOpen: 'Report {trackingId} is no longer active (status: {status}), so information cannot be added. Please send a new report for a new problem.',
  addInfoUsage: 'To add information, type: tambah <tracking number> <information>. E.g. tambah LPR-ABC234 the hole is getting bigger',
  autoClosed:
    'Your report {trackingId} has been closed because we did not hear back from you for {days} working days after the follow-up was sent. Thank you for reporting! If the problem is not solved yet, you are welcome to send a new report.',
  followUpClosed:
    'Report {trackingId} is already closed, so a solved/not solved reply can no longer be recorded. If the problem is not solved yet, please send a new report: just describe the problem here.',
  followUpNotPending: 'Report {trackingId} is being handled again by the agency (status: {status}). We will tell you when there is a new answer.',
};

const TEXTS: Record<Language, Record<FollowUpTextKey, string>> = { id, en };

export function ft(lang: Language, key: FollowUpTextKey, params: Record<string, string | number> = {}): string {
  return fillTemplate(TEXTS[lang][key], params);
}

export function asLanguage(value: string | null | undefined): Language {
  return value === 'en' ? 'en' : 'id';
}

// ---- to admins ----------------------------------------------------------------------------------------------

export const PRIVACY_NOTE: Record<string, string> = {
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
  /** Only set for viewers allowed to see it (domain/case-access.ts: never an OPD on an anonim case). */
  reporterName: string | null;
  note?: string;
  fromOpd?: string;
}

const MAX_ALERT_DESCRIPTION = 300;

export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function caseLines(f: AlertFacts): string[] {
  return [
    `Kategori: ${f.categoryName ?? '-'} · OPD: ${f.opdCode ?? '-'}${f.lowConfidence ? ' · ⚠️ klasifikasi ragu, mohon dicek' : ''}`,
    PRIVACY_NOTE[f.privacy],
    f.reporterName
      ? `Pelapor: ${f.reporterName}${f.privacy === 'anonim' ? ' — ANONIM, jangan diteruskan ke OPD' : ''}`
      : f.privacy === 'anonim'
        ? 'Pelapor: Anonim'
        : undefined,
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


/** To a newly added admin, on the chat that was registered. */
export function adminWelcomeText(admin: { name: string; role: string; opdCode: string | null }, cityName: string): string {
  return `Halo ${admin.name}, Anda terdaftar sebagai admin ${admin.role}${admin.opdCode ? ` ${admin.opdCode}` : ''} di layanan pengaduan ${cityName}. Ketik /bantuan untuk daftar perintah.`;
}
