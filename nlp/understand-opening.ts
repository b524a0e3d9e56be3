import { plainWords, wordCount } from './message-words.ts';

export interface Opening {
  /** The message announces a report, a complaint or a question ("mau lapor", "ada keluhan", "I want to report"). */
  announces: boolean;
  /** What the citizen said after the announcement, in their own words; "" when nothing but the announcement. */
  content: string;
  /** The announcement is of a question ("mau tanya", "I'd like to ask"), not a complaint. */
  question?: boolean;
}

const S = String.raw`[\s,.!?:;~\-–—]`;
// "saya mau", "izin", "min saya ingin"…: who speaks and how politely, before the verb.
const WHO = String.raw`(?:(?:min|kak|pak|bu|mas|mbak|admin)${S}+)?(?:(?:mohon\s+)?(?:izin|ijin|permisi|maaf)${S}+)?(?:(?:saya|sy|aku|aq|kami|kita|q|gue|gw|kulo|kula|aku\s+arep)${S}+)?`;
const WANT = String.raw`(?:(?:mau|mo|ingin|pengen|pengin|pingin|kepingin|hendak|akan|arep|ape|bermaksud|perlu|butuh)${S}+)?(?:(?:bikin|buat|membuat|mengajukan|ajukan|menyampaikan|nyampaikan|sampaikan|kirim|ngirim)${S}+)?`;
const VERB = String.raw`(?:melaporkan|laporkan|lapor|melapor|ngelapor|nglaporno|laporan(?:\s+baru)?|pelaporan|ngadu|mengadu|mengadukan|aduan|pengaduan|komplain|komplen|complain|protes|sambat|nyambat|keluhan|mengeluh|mengeluhkan|ngeluh|curhat|bertanya|tanya|nanya|menanyakan|usul|usulan|saran|aspirasi)`;
const ID_OPENING = new RegExp(String.raw`^${WHO}${WANT}${VERB}(?=$|${S})${S}*`, 'iu');
// "ada keluhan", "ada yang mau saya laporkan", "ada masalah min".
const ID_THERE_IS = new RegExp(
  String.raw`^(?:ini\s+)?(?:ada|onok|enek|nek)${S}+(?:(?:yang|yg|sing)${S}+)?(?:(?:mau|ingin|pengen|arep)${S}+)?(?:(?:saya|sy|aku)${S}+)?(?:keluhan|aduan|laporan|masalah|kendala|laporkan|lapor|adukan|keluhkan|sampaikan|tanyakan|pertanyaan|info)(?=$|${S})${S}*`,
  'iu',
);
const EN_OPENING = new RegExp(
  String.raw`^(?:(?:hi|hello)${S}+)?(?:i\s*(?:'d|would)\s+like\s+to|i\s+want\s+to|i\s+wanna|i\s+need\s+to|can\s+i|could\s+i|may\s+i|how\s+(?:do|can)\s+i|i\s*'?m\s+here\s+to|let\s+me|i\s+have\s+to)${S}+(?:report|file|make|submit|complain|lodge|send|ask)(?:${S}+(?:a|an))?(?:${S}+(?:complaint|report|problem|issue))?(?:${S}+(?:about|regarding|on))?(?=$|${S})${S}*|^(?:i\s+have|there\s*'?s|there\s+is|got)${S}+(?:a|an)${S}+(?:complaint|problem|issue|report)(?:${S}+(?:about|regarding|with))?(?=$|${S})${S}*|^(?:new\s+report|file\s+a\s+report|report\s+a\s+problem|complaint)(?=$|${S})${S}*`,
  'iu',
);

/** Words that only stand in for the complaint the citizen has not told yet. */
const PLACEHOLDERS = new Set([
  'sesuatu', 'something', 'a', 'an', 'problem', 'issue', 'complaint', 'masalah', 'permasalahan', 'keluhan', 'kejadian', 'hal', 'nih',
  'ini', 'min', 'kak', 'pak', 'bu', 'mas', 'mbak', 'ya', 'dong', 'boleh', 'bisa', 'bisakah', 'gimana', 'bagaimana', 'caranya', 'cara',
  'nya', 'tentang', 'soal', 'mengenai', 'terkait', 'perihal', 'about', 'regarding', 'please', 'pls', 'sir', 'admin', 'kah', 'apa',
  'tolong', 'mohon', 'bantu', 'dibantu', 'bantuannya', 'ke', 'kesini', 'sini', 'di', 'here', 'disini', 'to', 'the', 'with', 'how',
  'do', 'i', 'can', 'sedikit', 'satu', 'dua', 'lagi', 'baru', 'new', 'one', 'some', 'aja', 'saja', 'deh', 'sih', 'yg', 'yang', 'saya',
  'warga', 'kota', 'malang', 'pemkot', 'city', 'nggih', 'njih', 'mawon', 'ae', 'rek', 'cak', 'lur', 'gan', 'sampaikan', 'dilaporkan',
  'laporkan', 'diadukan', 'tanyakan', 'disampaikan', 'dengan', 'and', 'for', 'is', 'it', 'an', 'my', 'our', 'there', 'something',
]);
/** Connectors between the announcement and the complaint ("mau lapor soal sampah"). */
const CONNECTOR = new RegExp(String.raw`^(?:(?:tentang|soal|mengenai|terkait|perihal|masalah|yaitu|yakni|bahwa|kalau|kalo|nek|lek|about|regarding|that|on)${S}+)+`, 'iu');

/**
 * Reads a message that opens a report without (or before) telling it: "mau lapor", "ada keluhan min",
 * "selamat siang, saya mau melaporkan sesuatu" (after the greeting), "I want to report a problem". `content`
 * keeps whatever followed, so "mau lapor jalan rusak depan SD" still carries its complaint.
 */
export function readOpening(text: string): Opening {
  const trimmed = text.trim();
  const match = ID_OPENING.exec(trimmed) ?? ID_THERE_IS.exec(trimmed) ?? EN_OPENING.exec(trimmed);
  if (!match || match[0].trim() === '') return { announces: false, content: trimmed };
  const after = trimmed.slice(match[0].length).replace(CONNECTOR, '').trim();
  const meaningful = plainWords(after)
    .split(' ')
    .filter((w) => w !== '' && !PLACEHOLDERS.has(w));
  const question = /\b(?:tanya|nanya|bertanya|menanyakan|tanyakan|pertanyaan|info|ask)\b/i.test(match[0]);
  return { announces: true, content: meaningful.length === 0 ? '' : after, ...(question ? { question } : {}) };
}

/** Whether the text is only an announcement with no complaint in it. */
export function isBareOpening(text: string): boolean {
  const opening = readOpening(text);
  return opening.announces && opening.content === '';
}

/** Whether text reads as a complaint on its own: a few words with letters, not a lone word. */
export function hasSubstance(text: string, minChars = 10): boolean {
  const plain = plainWords(text);
  return /\p{L}/u.test(text) && plain.length >= minChars && wordCount(plain) >= 2;
}
