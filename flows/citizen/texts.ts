import type { Language, Privacy } from '../types.ts';
import { fillTemplate } from '../../domain/fill-template.ts';

export { fillTemplate };

/** Status names as a citizen reads them. */
export const STATUS_LABELS: Record<Language, Record<string, string>> = {
  id: {
    submitted: 'Diterima, menunggu verifikasi',
    verified: 'Terverifikasi',
    forwarded: 'Diteruskan ke instansi terkait',
    rerouted: 'Sedang dialihkan ke instansi lain',
    answered: 'Sudah ditanggapi',
    reopened: 'Dibuka kembali',
    rejected: 'Ditolak',
    closed: 'Selesai',
  },
  en: {
    submitted: 'Received, awaiting verification',
    verified: 'Verified',
    forwarded: 'Forwarded to the agency',
    rerouted: 'Being rerouted to another agency',
    answered: 'Answered',
    reopened: 'Reopened',
    rejected: 'Rejected',
    closed: 'Closed',
  },
};

export const REPORT_KIND_LABELS: Record<Language, Record<string, string>> = {
  id: { pengaduan: 'Pengaduan', aspirasi: 'Aspirasi', permintaan_informasi: 'Permintaan informasi' },
  en: { pengaduan: 'Complaint', aspirasi: 'Suggestion', permintaan_informasi: 'Information request' },
};

export const PRIVACY_LABELS: Record<Language, Record<Privacy, string>> = {
  id: { biasa: 'Biasa', anonim: 'Anonim', rahasia: 'Rahasia' },
  en: { biasa: 'Normal', anonim: 'Anonymous', rahasia: 'Confidential' },
};

const id = {
  greeting: 'Halo! 👋 Ini layanan pengaduan warga {city}. Ada yang bisa saya bantu? Balas dengan angka atau kata:',
  menu1: 'Buat laporan',
  menu2: 'Cek status laporan',
  menu3: 'Laporan saya',
  menu4: 'Bantuan',
  menuReask: 'Maaf, pilihannya belum saya pahami. Balas 1, 2, 3 atau 4 ya.',
  askDescription:
    'Silakan ceritakan masalahnya: apa yang terjadi, sejak kapan, dan dampaknya. Satu pesan saja cukup.',
  descriptionTooShort: 'Ceritanya masih terlalu singkat. Tolong jelaskan sedikit lebih lengkap apa masalahnya, ya.',
  descriptionNoWords: 'Maaf, saya perlu penjelasan dengan kata-kata. Apa masalah yang ingin dilaporkan?',
  askLocation:
    'Di mana lokasinya? Tulis alamat atau patokannya (nama jalan, RT/RW, kelurahan), atau kirim lokasi (share location).',
  locationPrefilled: 'Lokasi sudah terisi: {place}. Kalau lokasinya lain, tulis alamatnya; kalau sudah benar, ketik ok.',
  locationReask: 'Maaf, lokasinya belum jelas. Tulis alamat atau patokan, atau kirim lokasi lewat fitur share location.',
  locationRecognized: 'Lokasi tercatat: {area}.',
  askPhoto: 'Ada foto pendukung? Kirim fotonya sekarang, atau ketik lewati.',
  photoReask: 'Kirim foto, atau ketik lewati kalau tidak ada foto.',
  photoReceived: 'Foto diterima ({count}).',
  photoLimit: 'Maksimal {max} foto per laporan; foto tambahan tidak disimpan.',
  askPrivacy: 'Pilih kerahasiaan laporan:',
  privacyBiasa: 'Biasa: identitas Anda terlihat oleh petugas yang menangani',
  privacyAnonim: 'Anonim: identitas Anda disembunyikan dari OPD dan publik',
  privacyRahasia: 'Rahasia: isi laporan tidak ditampilkan ke publik',
  privacyReask: 'Balas 1 (biasa), 2 (anonim) atau 3 (rahasia).',
  classifying: 'Sebentar, laporan Anda sedang saya periksa…',
  summaryTitle: 'Ringkasan laporan Anda:',
  summaryKind: 'Jenis',
  summaryDescription: 'Uraian',
  summaryLocation: 'Lokasi',
  summaryPhotos: 'Foto',
  summaryPrivacy: 'Kerahasiaan',
  summaryCategory: 'Kategori',
  summaryOpd: 'Instansi tujuan',
  summaryNoPhoto: 'tidak ada',
  summaryQuestion: 'Kirim laporan ini? Balas ya untuk mengirim, ubah untuk mengganti isinya, atau batal.',
  confirmYes: 'Ya, kirim',
  confirmEdit: 'Ubah',
  confirmCancel: 'Batal',
  confirmReask: 'Balas ya untuk mengirim, ubah untuk mengganti, atau batal untuk membatalkan.',
  askEdit: 'Bagian mana yang mau diubah?',
  editDescription: 'Uraian',
  editLocation: 'Lokasi',
  editPhoto: 'Foto',
  editPrivacy: 'Kerahasiaan',
  editReask: 'Balas 1 (uraian), 2 (lokasi), 3 (foto) atau 4 (kerahasiaan).',
  filed:
    'Terima kasih, laporan Anda sudah kami terima. ✅\nNomor laporan: {trackingId}\n\nLaporan akan diverifikasi paling lambat 3 hari kerja, lalu diteruskan ke instansi terkait. Anda akan dikabari di sini setiap ada perkembangan. Cek status kapan saja dengan mengetik: cek {trackingId}',
  fileFailed:
    'Maaf, laporan belum berhasil disimpan karena gangguan sistem. Isi laporan Anda tetap tersimpan; coba ketik ya lagi dalam beberapa saat.',
  cancelled: 'Laporan dibatalkan. Tidak ada yang dikirim.',
  nothingToCancel: 'Tidak ada laporan yang sedang dibuat.',
  help:
    'Cara pakai:\n• Ceritakan masalahnya, saya tanyakan lokasi, foto (boleh dilewati) dan kerahasiaan, lalu laporan dikirim ke instansi terkait.\n• cek <nomor> — lihat status laporan, misalnya cek LPR-ABC234\n• laporan saya — daftar laporan Anda\n• batal — batalkan laporan yang sedang dibuat\n• english — ganti ke bahasa Inggris\nLaporan diverifikasi paling lambat 3 hari kerja.',
  askTrackingId: 'Ketik nomor laporan Anda, misalnya LPR-ABC234.',
  trackingIdInvalid: 'Nomor laporan itu tidak dikenali. Formatnya seperti LPR-ABC234.',
  caseNotFound: 'Laporan {trackingId} tidak ditemukan. Periksa lagi nomornya; hanya pelapor yang bisa melihat laporannya.',
  caseStatusTitle: 'Laporan {trackingId}',
  caseStatusLine: 'Status: {status}',
  caseHistory: 'Riwayat:',
  myCasesTitle: 'Laporan Anda:',
  myCasesEmpty: 'Anda belum punya laporan. Ceritakan saja masalahnya untuk membuat laporan baru.',
  emptyMessage: 'Pesannya kosong. Silakan ketik pesan Anda, atau ketik bantuan.',
  tooLong: 'Pesannya terlalu panjang (maksimal {max} karakter). Mohon diringkas, ya.',
  unsupported: 'Maaf, {what} belum bisa saya proses. Kirim teks, foto, atau lokasi saja, ya.',
  unknownCommand: 'Perintah itu tidak saya kenal. Ketik bantuan untuk melihat yang bisa dilakukan.',
  continueDraft: 'Kita lanjutkan laporan Anda.',
  languageSet: 'Baik, saya pakai Bahasa Indonesia.',
  chooseLanguage: 'Pilih bahasa / Choose a language:',
  statusUsage: 'Untuk cek status, ketik /status diikuti nomor laporan, misalnya /status LPR-ABC234. Laporan yang sedang dibuat tetap tersimpan.',
};

export type TextKey = keyof typeof id;

const en: Record<TextKey, string> = {
  greeting: "Hello! 👋 This is {city}'s citizen complaint service. What would you like to do? Reply with a number or a word:",
  menu1: 'File a report',
  menu2: 'Check a report',
  menu3: 'My reports',
  menu4: 'Help',
  menuReask: "Sorry, I didn't get that. Please reply 1, 2, 3 or 4.",
  askDescription: 'Please describe the problem: what happened, since when, and how it affects you. One message is enough.',
  descriptionTooShort: 'That is a bit short. Please describe the problem in a little more detail.',
  descriptionNoWords: 'Sorry, I need a description in words. What problem would you like to report?',
  askLocation: 'Where is it? Type the address or a landmark (street, RT/RW, kelurahan), or share your location.',
  locationPrefilled: 'Location already set: {place}. If it is somewhere else, type the address; if it is right, type ok.',
  locationReask: 'Sorry, I could not tell where that is. Type an address or landmark, or share your location.',
  locationRecognized: 'Location noted: {area}.',
  askPhoto: 'Do you have a photo? Send it now, or type skip.',
  photoReask: 'Send a photo, or type skip if you have none.',
  photoReceived: 'Photo received ({count}).',
  photoLimit: 'At most {max} photos per report; extra photos are not kept.',
  askPrivacy: 'Choose how private the report is:',
  privacyBiasa: 'Normal: the officers handling it can see who you are',
  privacyAnonim: 'Anonymous: your identity is hidden from the agency and the public',
  privacyRahasia: 'Confidential: the content is not shown to the public',
  privacyReask: 'Reply 1 (normal), 2 (anonymous) or 3 (confidential).',
  classifying: 'One moment, I am reviewing your report…',
  summaryTitle: 'Your report:',
  summaryKind: 'Type',
  summaryDescription: 'Description',
  summaryLocation: 'Location',
  summaryPhotos: 'Photos',
  summaryPrivacy: 'Privacy',
  summaryCategory: 'Category',
  summaryOpd: 'Agency',
  summaryNoPhoto: 'none',
  summaryQuestion: 'Send this report? Reply yes to send, edit to change it, or cancel.',
  confirmYes: 'Yes, send',
  confirmEdit: 'Edit',
  confirmCancel: 'Cancel',
  confirmReask: 'Reply yes to send, edit to change something, or cancel.',
  askEdit: 'What would you like to change?',
  editDescription: 'Description',
  editLocation: 'Location',
  editPhoto: 'Photo',
  editPrivacy: 'Privacy',
  editReask: 'Reply 1 (description), 2 (location), 3 (photo) or 4 (privacy).',
  filed:
    "Thank you, we have received your report. ✅\nTracking number: {trackingId}\n\nIt will be verified within 3 working days and then forwarded to the agency in charge. We will keep you updated here at every step. Check it any time by typing: cek {trackingId}",
  fileFailed: 'Sorry, the report could not be saved because of a system problem. Your answers are kept; type yes again in a moment.',
  cancelled: 'Report cancelled. Nothing was sent.',
  nothingToCancel: 'There is no report in progress.',
  help:
    'How it works:\n• Describe the problem; I ask for the location, a photo (optional) and privacy, then the report goes to the agency in charge.\n• cek <number> — see a report\'s status, e.g. cek LPR-ABC234\n• my reports — list your reports\n• cancel — cancel the report in progress\n• bahasa indonesia — switch to Indonesian\nReports are verified within 3 working days.',
  askTrackingId: 'Type your tracking number, e.g. LPR-ABC234.',
  trackingIdInvalid: 'I do not recognise that tracking number. It looks like LPR-ABC234.',
  caseNotFound: 'Report {trackingId} was not found. Please check the number; only the reporter can see a report.',
  caseStatusTitle: 'Report {trackingId}',
  caseStatusLine: 'Status: {status}',
  caseHistory: 'History:',
  myCasesTitle: 'Your reports:',
  myCasesEmpty: 'You have no reports yet. Just describe a problem to file one.',
  emptyMessage: 'The message is empty. Please type your message, or type help.',
  tooLong: 'That message is too long (at most {max} characters). Please shorten it.',
  unsupported: 'Sorry, I cannot process {what} yet. Please send text, a photo or a location.',
  unknownCommand: "I don't know that command. Type help to see what I can do.",
  continueDraft: "Let's continue your report.",
  languageSet: 'OK, I will use English.',
  chooseLanguage: 'Pilih bahasa / Choose a language:',
  statusUsage: 'To check a report, type /status followed by its number, e.g. /status LPR-ABC234. The report you are writing is kept.',
};

const TEXTS: Record<Language, Record<TextKey, string>> = { id, en };


export function t(lang: Language, key: TextKey, params: Record<string, string | number> = {}): string {
  return fillTemplate(TEXTS[lang][key], params);
}

const UNSUPPORTED_NAMES: Record<Language, Record<string, string>> = {
  id: {
    sticker: 'stiker', voice: 'pesan suara', audio: 'audio', video: 'video', document: 'dokumen', contact: 'kontak', poll: 'polling',
    'photo-too-large': 'foto yang terlalu besar (kirim ulang sebagai foto biasa, bukan dokumen)',
    'photo-failed': 'foto yang gagal terunduh (silakan kirim ulang)',
    'photo-unsupported': 'foto dengan format ini (kirim sebagai foto biasa: JPG, PNG atau WebP)',
    'photo-over-budget': 'foto lagi untuk hari ini (kiriman foto dari chat ini hari ini sudah banyak sekali; lanjutkan besok)',
  },
  en: {
    sticker: 'stickers', voice: 'voice messages', audio: 'audio', video: 'videos', document: 'documents', contact: 'contacts', poll: 'polls',
    'photo-too-large': 'photos this large (send it again as a normal photo, not a document)',
    'photo-failed': 'a photo that failed to download (please send it again)',
    'photo-unsupported': 'pictures in this format (send it as a normal photo: JPG, PNG or WebP)',
    'photo-over-budget': 'more photos today (this chat has sent a great many photos today; please continue tomorrow)',
  },
};

export function unsupportedName(lang: Language, what: string): string {
  return UNSUPPORTED_NAMES[lang][what] ?? (lang === 'id' ? 'jenis pesan ini' : 'this kind of message');
}

/** "22-11-2026 21:05" in the city's time zone: citizens read local time, not UTC. */
export function formatLocalTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}-${get('month')}-${get('year')} ${get('hour')}:${get('minute')}`;
}
