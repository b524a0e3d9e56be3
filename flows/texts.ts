import type { Language, Privacy } from './types.ts';

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
  greeting: 'Halo, Kak! 👋 Ini layanan pengaduan warga {city}. Ada yang bisa dibantu? Balas dengan angka atau kata:',
  menu1: 'Buat laporan',
  menu2: 'Cek status laporan',
  menu3: 'Laporan saya',
  menu4: 'Bantuan',
  menuReask: 'Maaf, Kak, belum saya pahami. Balas 1, 2, 3 atau 4, atau langsung ceritakan masalahnya.',
  salamReply: "Waalaikumsalam, Kak. 🙏",
  greetingReply: 'Halo, Kak!',
  thanksReply: 'Sama-sama, Kak. 🙏 Kalau ada yang mau dilaporkan lagi, tinggal tulis di sini.',
  closingReply: 'Baik, Kak. Kalau ada yang mau dilaporkan, tinggal tulis di sini.',
  openingAck: 'Baik, Kak, silakan.',
  askDescription: 'Ceritakan masalahnya, Kak: apa yang terjadi, sejak kapan, dan dampaknya. Satu pesan saja cukup.',
  askDescriptionMore: 'Baik, soal {lead}. Bisa diceritakan sedikit lebih lengkap, Kak? Apa yang terjadi dan sejak kapan?',
  askDescriptionAfterPlace: 'Sekarang ceritakan masalahnya, Kak: apa yang terjadi dan sejak kapan?',
  descriptionReask: 'Silakan tulis masalahnya dalam satu pesan, Kak, misalnya: "Lampu jalan di gang saya mati sejak seminggu".',
  descriptionTooShort: 'Ceritanya masih terlalu singkat, Kak. Tolong jelaskan sedikit lebih lengkap apa masalahnya.',
  descriptionNoWords: 'Maaf, Kak, saya perlu penjelasan dengan kata-kata. Apa masalah yang ingin dilaporkan?',
  topicAck: 'Baik, soal {topic} ya.',
  askLocation: 'Di mana lokasinya, Kak? Tulis nama jalan atau patokan (RT/RW, kelurahan), atau kirim lokasi (share location).',
  askLocationAgain: 'Baik. Di mana lokasinya, Kak? Tulis nama jalan atau patokan, atau kirim lokasi.',
  locationPrefilled: 'Lokasi sudah terisi: {place}. Kalau sudah benar, ketik ok; kalau lain, tulis lokasinya.',
  locationPrefilledReask: 'Ketik ok kalau lokasinya sudah benar, atau tulis lokasi yang lain.',
  locationReask: 'Lokasinya di mana, Kak? Tulis nama jalan atau patokan terdekat, atau kirim lokasi.',
  locationRecognized: 'Lokasi tercatat: {area}.',
  locationNoted: 'Lokasi saya catat: {place}. Kalau kurang tepat, tulis saja lokasi yang benar.',
  locationUpdated: 'Lokasi saya perbarui: {place}.',
  continuationAdded: 'Baik, saya tambahkan ke ceritanya. Lokasinya di mana, Kak?',
  outsideAsk: 'Titik itu di luar {city}{where}. Tetap lanjut?',
  outsideReask: 'Balas ya untuk tetap lanjut, atau tulis lokasi lain.',
  askArea: 'Titik lokasinya sudah tersimpan. Di kelurahan mana itu, Kak? Atau ketik lewati.',
  areaReask: 'Tulis nama kelurahannya, Kak, atau ketik lewati.',
  askPhoto: 'Ada foto pendukung, Kak? Kirim fotonya sekarang, atau ketik lewati.',
  photoReask: 'Kirim fotonya, atau ketik lewati kalau tidak ada.',
  photoReceived: 'Foto diterima ({count}).',
  photoLimit: 'Foto diterima; batasnya {max} foto per laporan, jadi sisanya tidak disimpan.',
  photoLimitReached: 'Sudah ada {max} foto, batas per laporan, jadi foto ini tidak disimpan.',
  backToPhoto: 'Foto yang sudah dikirim: {count}.',
  backToDescription: 'Uraian sekarang: {description}\nKetik lanjut kalau sudah benar, atau tulis uraian yang baru.',
  askPrivacy: 'Pilih kerahasiaan laporan:',
  privacyBiasa: 'Biasa: identitas Kakak terlihat oleh petugas yang menangani',
  privacyAnonim: 'Anonim: identitas Kakak disembunyikan dari OPD dan publik',
  privacyRahasia: 'Rahasia: isi laporan tidak ditampilkan ke publik',
  privacyReask: 'Balas 1 (biasa), 2 (anonim) atau 3 (rahasia), Kak.',
  classifying: 'Sebentar, laporannya sedang saya periksa…',
  summaryTitle: 'Ringkasan laporan:',
  summaryKind: 'Jenis',
  summaryDescription: 'Uraian',
  summaryLocation: 'Lokasi',
  summaryPhotos: 'Foto',
  summaryPhotoCount: '{count} terlampir',
  summaryPrivacy: 'Kerahasiaan',
  summaryCategory: 'Kategori',
  summaryOpd: 'Instansi tujuan',
  summaryNoPhoto: 'tidak ada',
  summaryQuestion: 'Kirim laporan ini? Balas ya untuk mengirim, ubah untuk mengganti isinya, atau batal.',
  confirmYes: 'Ya, kirim',
  confirmEdit: 'Ubah',
  confirmCancel: 'Batal',
  confirmReask: 'Balas ya untuk mengirim, ubah untuk mengganti, atau batal.',
  notSentYet: 'Baik, belum dikirim.',
  askEdit: 'Bagian mana yang mau diubah?',
  editDescription: 'Uraian',
  editLocation: 'Lokasi',
  editPhoto: 'Foto',
  editPrivacy: 'Kerahasiaan',
  editReask: 'Balas 1 (uraian), 2 (lokasi), 3 (foto) atau 4 (kerahasiaan).',
  filed:
    'Terima kasih, Kak, laporannya sudah kami terima. ✅\nNomor laporan: {trackingId}\n\nLaporan diverifikasi paling lambat 3 hari kerja, lalu diteruskan ke instansi terkait. Setiap ada perkembangan, Kakak dikabari di sini. Cek status kapan saja dengan mengetik: cek {trackingId}',
  fileFailed:
    'Maaf, Kak, laporannya belum tersimpan karena gangguan sistem. Isinya tetap aman; coba ketik ya lagi sebentar lagi.',
  cancelAsk: 'Batalkan laporan ini? Isinya akan dihapus.',
  cancelReask: 'Balas ya untuk membatalkan, atau tidak untuk melanjutkan laporan.',
  cancelKept: 'Baik, laporannya kita lanjutkan.',
  cancelled: 'Laporan dibatalkan. Tidak ada yang dikirim.',
  nothingToCancel: 'Tidak ada laporan yang sedang dibuat, Kak.',
  help:
    'Cara pakai:\n• Ceritakan masalahnya; saya tanyakan lokasi, foto (boleh dilewati) dan kerahasiaan, lalu laporan dikirim ke instansi terkait.\n• cek <nomor>: lihat status laporan, misalnya cek LPR-ABC234\n• laporan saya: daftar laporan Kakak\n• kembali: ke pertanyaan sebelumnya\n• batal: batalkan laporan yang sedang dibuat\n• english: ganti ke bahasa Inggris\nLaporan diverifikasi paling lambat 3 hari kerja.',
  askTrackingId: 'Ketik nomor laporannya, Kak, misalnya LPR-ABC234.',
  trackingIdInvalid: 'Nomor laporan itu tidak dikenali. Formatnya seperti LPR-ABC234.',
  caseNotFound: 'Laporan {trackingId} tidak ditemukan. Periksa lagi nomornya, Kak; hanya pelapor yang bisa melihat laporannya.',
  caseStatusTitle: 'Laporan {trackingId}',
  caseStatusLine: 'Status: {status}',
  caseHistory: 'Riwayat:',
  myCasesTitle: 'Laporan Kakak:',
  myCasesEmpty: 'Kakak belum punya laporan. Ceritakan saja masalahnya untuk membuat laporan baru.',
  emptyMessage: 'Pesannya kosong, Kak. Silakan ketik pesannya, atau ketik bantuan.',
  tooLong: 'Pesannya terlalu panjang (maksimal {max} karakter). Mohon diringkas, Kak.',
  unsupported: 'Maaf, Kak, {what} belum bisa saya proses. Kirim teks, foto, atau lokasi saja, ya.',
  unknownCommand: 'Perintah itu tidak saya kenal. Ketik bantuan untuk melihat yang bisa dilakukan.',
  continueDraft: 'Kita lanjutkan laporan Kakak yang tadi.',
  continueDraftAbout: 'Kita lanjutkan laporan Kakak yang tadi: "{quote}".',
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
  menuReask: "Sorry, I didn't get that. Reply 1, 2, 3 or 4, or just describe the problem.",
  salamReply: 'Waalaikumsalam. 🙏',
  greetingReply: 'Hello!',
  thanksReply: "You're welcome. 🙏 If there is anything else to report, just write it here.",
  closingReply: 'All right. If there is anything to report, just write it here.',
  openingAck: 'Sure, go ahead.',
  askDescription: 'Please describe the problem: what happened, since when, and how it affects you. One message is enough.',
  askDescriptionMore: 'OK, about {lead}. Could you tell me a bit more? What happened and since when?',
  askDescriptionAfterPlace: 'Now please describe the problem: what happened and since when?',
  descriptionReask: 'Please describe the problem in one message, e.g. "The street light in my alley has been off for a week".',
  descriptionTooShort: 'That is a bit short. Please describe the problem in a little more detail.',
  descriptionNoWords: 'Sorry, I need a description in words. What problem would you like to report?',
  topicAck: 'OK, about {topic}.',
  askLocation: 'Where is it? Type the street or a landmark (RT/RW, kelurahan), or share your location.',
  askLocationAgain: 'OK. Where is it? Type the street or a landmark, or share your location.',
  locationPrefilled: 'Location already set: {place}. If that is right, type ok; if not, type the location.',
  locationPrefilledReask: 'Type ok if the location is right, or type another location.',
  locationReask: 'Where is it? Type the street or the nearest landmark, or share your location.',
  locationRecognized: 'Location noted: {area}.',
  locationNoted: 'Location noted: {place}. If that is not quite right, just type the correct location.',
  locationUpdated: 'Location updated: {place}.',
  continuationAdded: "OK, I've added that to the description. Where is it?",
  outsideAsk: 'That point is outside {city}{where}. Continue anyway?',
  outsideReask: 'Reply yes to continue anyway, or type another location.',
  askArea: 'Your location is saved. Which kelurahan is it in? Or type skip.',
  areaReask: 'Type the name of the kelurahan, or skip.',
  askPhoto: 'Do you have a photo? Send it now, or type skip.',
  photoReask: 'Send a photo, or type skip if you have none.',
  photoReceived: 'Photo received ({count}).',
  photoLimit: 'Photos received; the limit is {max} per report, so the rest were not kept.',
  photoLimitReached: 'There are already {max} photos, the limit per report, so this one was not kept.',
  backToPhoto: 'Photos sent so far: {count}.',
  backToDescription: 'Description so far: {description}\nType next if it is right, or type a new description.',
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
  summaryPhotoCount: '{count} attached',
  summaryPrivacy: 'Privacy',
  summaryCategory: 'Category',
  summaryOpd: 'Agency',
  summaryNoPhoto: 'none',
  summaryQuestion: 'Send this report? Reply yes to send, edit to change it, or cancel.',
  confirmYes: 'Yes, send',
  confirmEdit: 'Edit',
  confirmCancel: 'Cancel',
  confirmReask: 'Reply yes to send, edit to change something, or cancel.',
  notSentYet: 'OK, not sent yet.',
  askEdit: 'What would you like to change?',
  editDescription: 'Description',
  editLocation: 'Location',
  editPhoto: 'Photo',
  editPrivacy: 'Privacy',
  editReask: 'Reply 1 (description), 2 (location), 3 (photo) or 4 (privacy).',
  filed:
    "Thank you, we have received your report. ✅\nTracking number: {trackingId}\n\nIt will be verified within 3 working days and then forwarded to the agency in charge. We will keep you updated here. Check it any time by typing: cek {trackingId}",
  fileFailed: 'Sorry, the report could not be saved because of a system problem. Your answers are kept; type yes again in a moment.',
  cancelAsk: 'Cancel this report? What you wrote will be deleted.',
  cancelReask: 'Reply yes to cancel the report, or no to go on with it.',
  cancelKept: "OK, let's go on with your report.",
  cancelled: 'Report cancelled. Nothing was sent.',
  nothingToCancel: 'There is no report in progress.',
  help:
    "How it works:\n• Describe the problem; I ask for the location, a photo (optional) and privacy, then the report goes to the agency in charge.\n• cek <number>: see a report's status, e.g. cek LPR-ABC234\n• my reports: list your reports\n• back: go to the previous question\n• cancel: cancel the report in progress\n• bahasa indonesia: switch to Indonesian\nReports are verified within 3 working days.",
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
  continueDraft: "Let's continue the report you started.",
  continueDraftAbout: 'Let\'s continue the report you started: "{quote}".',
  languageSet: 'OK, I will use English.',
  chooseLanguage: 'Pilih bahasa / Choose a language:',
  statusUsage: 'To check a report, type /status followed by its number, e.g. /status LPR-ABC234. The report you are writing is kept.',
};

const TEXTS: Record<Language, Record<TextKey, string>> = { id, en };

/** Fills {name} placeholders; an unknown name stays visible rather than vanishing. */
export function fillTemplate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

export function t(lang: Language, key: TextKey, params: Record<string, string | number> = {}): string {
  return fillTemplate(TEXTS[lang][key], params);
}

const UNSUPPORTED_NAMES: Record<Language, Record<string, string>> = {
  id: {
    sticker: 'stiker', voice: 'pesan suara', audio: 'audio', video: 'video', document: 'dokumen', contact: 'kontak', poll: 'polling',
    'photo-too-large': 'foto yang terlalu besar (kirim ulang sebagai foto biasa, bukan dokumen)',
    'photo-failed': 'foto yang gagal terunduh (silakan kirim ulang)',
  },
  en: {
    sticker: 'stickers', voice: 'voice messages', audio: 'audio', video: 'videos', document: 'documents', contact: 'contacts', poll: 'polls',
    'photo-too-large': 'photos this large (send it again as a normal photo, not a document)',
    'photo-failed': 'a photo that failed to download (please send it again)',
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
