import type { Language } from './types.ts';
import { fillTemplate } from './texts.ts';

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
