import { plainWords } from './message-words.ts';

export type DetectedLanguage = 'id' | 'en';

// Function words and chat words that occur in almost every message of one language and rarely in the other.
// "hi", "ok", "please" and street words are used in Indonesian chats too, so they count for nothing.
const ENGLISH = new Set([
  'the', 'is', 'are', 'was', 'were', 'there', 'this', 'that', 'these', 'my', 'our', 'your', 'i', 'im', 'ive', 'we', 'you', 'it', 'its',
  'of', 'and', 'in', 'on', 'at', 'to', 'for', 'with', 'near', 'from', 'has', 'have', 'had', 'been', 'not', 'no', 'dont', 'doesnt', 'isnt',
  'want', 'would', 'like', 'report', 'problem', 'issue', 'broken', 'since', 'street', 'road', 'house', 'water', 'trash', 'garbage',
  'light', 'lights', 'days', 'weeks', 'week', 'months', 'hello', 'good', 'morning', 'afternoon', 'evening', 'thank', 'thanks', 'what',
  'where', 'when', 'how', 'can', 'could', 'would', 'should', 'please', 'help', 'because', 'very', 'still', 'yet', 'already', 'front',
  'next', 'behind', 'outside', 'pothole', 'potholes', 'flooding', 'flooded', 'smell', 'noise', 'dirty', 'about', 'complaint', 'a', 'an',
  'does', 'do', 'did', 'will', 'which', 'who', 'school', 'market', 'hospital', 'some', 'any', 'again', 'lot', 'full', 'everyday',
]);
const INDONESIAN = new Set([
  'di', 'yang', 'yg', 'dan', 'ada', 'tidak', 'tdk', 'gak', 'ga', 'nggak', 'ndak', 'sudah', 'udah', 'sdh', 'belum', 'saya', 'sy', 'aku',
  'mau', 'ingin', 'lapor', 'jalan', 'jl', 'jln', 'rusak', 'min', 'kak', 'pak', 'bu', 'mas', 'mbak', 'ini', 'itu', 'dengan', 'dgn',
  'untuk', 'utk', 'dari', 'ke', 'sejak', 'sampai', 'sampe', 'tolong', 'mohon', 'depan', 'dekat', 'dkt', 'rumah', 'warga', 'banyak',
  'sekali', 'banget', 'bgt', 'lagi', 'masih', 'air', 'sampah', 'lampu', 'mati', 'selamat', 'pagi', 'siang', 'sore', 'malam', 'terima',
  'kasih', 'makasih', 'halo', 'nya', 'kok', 'sih', 'dong', 'deh', 'aja', 'saja', 'juga', 'karena', 'krn', 'bisa', 'kalau', 'kalo',
  'ning', 'nang', 'neng', 'wis', 'wes', 'durung', 'opo', 'iki', 'iku', 'onok', 'enek', 'gok', 'sing', 'ae', 'arek', 'rek', 'lek',
  'dalan', 'banyu', 'uwuh', 'bolong', 'peteng', 'mambu', 'assalamualaikum', 'laporan', 'keluhan', 'minggu', 'hari', 'bulan', 'tahun',
  'kami', 'kita', 'mereka', 'bapak', 'ibu', 'gang', 'gg', 'kelurahan', 'kecamatan', 'rt', 'rw', 'lewati', 'batal', 'biasa', 'anonim',
  'iya', 'ya', 'tapi', 'atau', 'oleh', 'pada', 'akan', 'bagaimana', 'gimana', 'kapan', 'dimana', 'apa', 'berapa', 'pernah', 'terus',
]);

/**
 * English or Indonesian (Javanese counts as Indonesian: the bot answers it in Indonesian), from the words of a
 * message. Undefined when the message is too short or mixed to tell ("hi", "ok", "Jl. Ijen").
 */
export function detectLanguage(text: string): DetectedLanguage | undefined {
  const words = plainWords(text).split(' ').filter(Boolean);
  let en = 0;
  let id = 0;
  for (const w of words) {
    if (ENGLISH.has(w)) en++;
    if (INDONESIAN.has(w)) id++;
  }
  if (en >= 2 && en >= 2 * id) return 'en';
  if (id >= 2 && id >= 2 * en) return 'id';
  return undefined;
}
