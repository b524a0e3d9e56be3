import { coreWords, plainWords } from './message-words.ts';
import { readNumber } from './understand-number.ts';

/** Words that work at every step of a report. */
export type StepCommand = 'back' | 'cancel' | 'help' | 'skip';

const BACK = [
  'kembali', 'back', 'balik', 'go back', 'mundur', 'sebelumnya', 'previous', 'prev', 'kembali ke sebelumnya', 'balik lagi', 'balik maneh',
  'mbalik', 'undo', 'kembali dulu', 'langkah sebelumnya', 'pertanyaan sebelumnya', 'ke sebelumnya', 'step back', 'return',
  '/kembali', 'kembali 1 langkah', 'mundur dulu', 'kembali ke pertanyaan sebelumnya',
];
const CANCEL = [
  'batal', 'batalkan', 'batalin', 'cancel', 'stop', 'berhenti', 'tidak jadi', 'gak jadi', 'ga jadi', 'nggak jadi', 'ndak jadi', 'gk jadi',
  'tdk jadi', 'enggak jadi', 'ora sido', 'gak sido', 'ga sido', 'nggak sido', 'ndak sido', 'gajadi', 'gak jadi lapor', 'tidak jadi lapor',
  'ga jadi lapor', 'nggak jadi lapor', 'batal lapor', 'batalkan laporan', 'batal laporan', 'hapus laporan', 'cancel report', 'abort',
  'never mind', 'nevermind', 'forget it', 'stop laporan', 'gak sido lapor', 'gak jadi deh', 'ga jadi deh', 'batal aja', 'udahan',
  'sudahi', 'cancel it', 'quit', 'exit',
];
const HELP = [
  'bantuan', 'help', 'tolong bantu', 'panduan', 'cara pakai', 'caranya', 'gimana caranya', 'bagaimana caranya', 'bingung', 'saya bingung',
  'aku bingung', 'how', 'how does this work', 'what can you do', 'menu bantuan', 'petunjuk', 'info', 'informasi', 'cara lapor',
  'bagaimana cara lapor', 'gimana cara lapor', 'piye carane', 'carane piye', 'i am confused', 'im confused', 'confused', '?', 'apa ini',
];
const SKIP = [
  'lewati', 'lewat', 'lewatin', 'lewatkan', 'skip', 'skip aja', 'next', 'lanjut', 'lanjutkan', 'terus', 'tidak ada', 'tdk ada', 'gak ada',
  'ga ada', 'gk ada', 'nggak ada', 'ngga ada', 'enggak ada', 'ndak ada', 'nda ada', 'gaada', 'gada', 'kosong', 'none', 'no', 'nope',
  'nothing', 'no photo', 'no photos', 'no picture', 'not now', 'tidak', 'tdk', 'gak', 'ga', 'nggak', 'ndak', 'enggak', 'tidak punya',
  'gak punya', 'ga punya', 'nggak punya', 'ndak punya', 'ora ono', 'ora enek', 'gak onok', 'gak enek', 'ndak onok', 'ndak enek',
  'gak ada foto', 'ga ada foto', 'tidak ada foto', 'nggak ada foto', 'ndak ada foto', 'gak ada fotonya', 'tidak ada fotonya',
  'ga ada fotonya', 'foto tidak ada', 'foto gak ada', 'belum ada foto', 'tanpa foto', 'no pic', 'gak usah', 'ga usah', 'tidak usah',
  'nggak usah', 'ndak usah', 'gak perlu', 'tidak perlu', 'ga perlu', 'nanti saja', 'gk', 'g', 'n', 'tidak tahu', 'gak tau', 'ga tau',
  'nggak tau', 'ndak tau', 'gatau', 'gak tahu', 'tidak tau', 'dont know', 'i dont know', 'no idea', 'pass', 'sudah', 'udah', 'cukup',
  'itu saja', 'itu aja', 'segitu aja', 'sudah itu saja', 'udah itu aja', 'thats all', 'that s all', 'done', 'mboten wonten',
  'mboten enten', 'mboten', 'boten', 'ora ana', 'ora usah', 'mboten usah', 'ora duwe', 'gak duwe', 'ndak duwe', 'mboten gadah',
];

/**
 * back, cancel, help or skip, in the words citizens use ("kembali", "gak jadi", "bingung", "gak ada foto").
 * Skip is only meaningful where a step can be skipped; the caller decides.
 */
export function readStepCommand(text: string): StepCommand | undefined {
  const trimmed = text.trim();
  if (/^\/(?:batal|cancel)(?:@\w+)?$/i.test(trimmed)) return 'cancel';
  if (/^\/(?:kembali|back)(?:@\w+)?$/i.test(trimmed)) return 'back';
  if (/^\/(?:help|bantuan)(?:@\w+)?$/i.test(trimmed)) return 'help';
  if (trimmed === '?') return 'help';
  const core = coreWords(trimmed);
  const plain = plainWords(trimmed);
  if (BACK.includes(core) || BACK.includes(plain)) return 'back';
  if (CANCEL.includes(core) || CANCEL.includes(plain)) return 'cancel';
  if (HELP.includes(core) || HELP.includes(plain)) return 'help';
  if (SKIP.includes(core) || SKIP.includes(plain)) return 'skip';
  return undefined;
}

/** What the citizen wants from the main menu. */
export type MenuChoice = 'report' | 'status' | 'myCases' | 'help';

const REPORT = [
  'buat laporan', 'bikin laporan', 'lapor', 'laporan baru', 'melapor', 'mau lapor', 'file a report', 'report', 'new report', 'pengaduan',
  'aduan', 'buat aduan', 'buat pengaduan', 'ngadu', 'mau ngadu', 'komplain', 'complain', 'make a report', 'report a problem', 'keluhan',
  'ada keluhan', 'mau melapor', 'ingin melapor', 'mau buat laporan', 'mau bikin laporan', 'laporan', 'lapor baru', 'buat',
];
const STATUS = [
  'cek status', 'cek', 'status', 'cek laporan', 'check', 'check status', 'check a report', 'cek status laporan', 'status laporan',
  'cek nomor laporan', 'lacak', 'lacak laporan', 'track', 'track report', 'track my report', 'tracking', 'status report',
  'check my report', 'check report', 'cek progres', 'progres laporan', 'cek perkembangan', 'perkembangan laporan', 'sudah sampai mana',
  'bagaimana laporan saya', 'gimana laporan saya', 'laporan saya gimana', 'laporan saya sampai mana', 'cek tiket', 'status tiket',
];
const MY_CASES = [
  'laporan saya', 'laporanku', 'my reports', 'my report', 'daftar laporan', 'daftar laporan saya', 'riwayat laporan', 'riwayat',
  'history', 'list', 'list laporan', 'semua laporan saya', 'laporan laporan saya', 'laporan aku', 'laporane aku', 'laporanku apa aja',
  'lihat laporan saya', 'lihat laporan', 'my complaints', 'report history',
];

/** A menu choice by number (1-4, also "satu", "yang kedua") or by words ("cek status", "laporan saya"). */
export function readMenuChoice(text: string): MenuChoice | undefined {
  const n = readNumber(text);
  if (n !== undefined) return (['report', 'status', 'myCases', 'help'] as const)[n - 1];
  const core = coreWords(text);
  const plain = plainWords(text);
  const any = (list: string[]) => list.includes(core) || list.includes(plain);
  // "laporan saya" is a list, "cek laporan saya" and "status laporan saya" a status check.
  if (any(STATUS) || /^(?:cek|check|status|lacak)\b/.test(core)) return 'status';
  if (any(MY_CASES)) return 'myCases';
  if (any(REPORT)) return 'report';
  if (any(HELP)) return 'help';
  return undefined;
}
