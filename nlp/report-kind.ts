import type { ReportKind } from './classifier.ts';
import { normalizeForMatch, normalizedName } from '../lib/city-profile.ts';

const INFORMATION_CUES = [
  'bagaimana cara', 'gimana cara', 'bagaimana prosedur', 'apa syarat', 'apa saja syarat', 'syaratnya apa', 'mohon info',
  'minta info', 'mohon informasi', 'informasi mengenai', 'ingin bertanya', 'mau tanya', 'mau nanya', 'numpang tanya',
  'izin bertanya', 'ijin bertanya', 'kapan', 'dimana', 'di mana', 'berapa biaya', 'apakah bisa', 'apakah boleh', 'apakah',
  // How people ask in chat: "cara bikin ktp gimana ya", "syaratnya apa aja", "how do I".
  'cara', 'caranya', 'gimana ya', 'bagaimana ya', 'syarat', 'syaratnya', 'prosedur', 'prosedurnya', 'tanya', 'nanya', 'how do i',
  'how can i', 'where can i', 'what are the requirements', 'piye carane', 'pripun',
];
const ASPIRATION_CUES = [
  'usul', 'usulan', 'saran', 'menyarankan', 'sebaiknya', 'alangkah baiknya', 'harapan kami', 'mohon ditambah',
  'mohon dibangun', 'mohon dibuatkan', 'tolong dibuatkan', 'perlu ditambah', 'perlu dibangun', 'aspirasi', 'alangkah',
];
const COMPLAINT_CUES = [
  'rusak', 'berlubang', 'mati', 'bocor', 'banjir', 'tidak', 'tdk', 'gak', 'nggak', 'ga ', 'belum', 'kecewa', 'keluhan',
  'mengeluh', 'lapor', 'menumpuk', 'liar', 'macet', 'pungli', 'bau', 'bahaya',
];

function countCues(haystack: string, cues: string[]): number {
  return cues.reduce((n, cue) => (haystack.includes(` ${normalizedName(cue)} `) ? n + 1 : n), 0);
}

/** Pengaduan, aspirasi or permintaan informasi, from the wording alone. */
export function detectReportKind(text: string): ReportKind {
  const haystack = ` ${normalizeForMatch(text)} `;
  const complaint = countCues(haystack, COMPLAINT_CUES);
  const info = countCues(haystack, INFORMATION_CUES) + (text.trim().endsWith('?') ? 1 : 0);
  const aspiration = countCues(haystack, ASPIRATION_CUES);
  if (aspiration > 0 && aspiration >= complaint) return 'aspirasi';
  if (info > 0 && info > complaint) return 'permintaan_informasi';
  return 'pengaduan';
}
