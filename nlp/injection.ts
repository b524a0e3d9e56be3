import { normalizeForMatch, type CityProfile } from '../lib/city-profile.ts';

export interface InjectionFinding {
  /** True when the text tries to instruct the classifier rather than describe a problem. */
  suspected: boolean;
  /** OPD codes the text asks to be routed to ("kirim ke BAPENDA"). */
  requestedOpdCodes: string[];
  /** The text without the instruction-like sentences, for the offline cross-check. */
  cleanedText: string;
}

const OVERRIDE_CUES = [
  /\b(abaikan|lupakan|acuhkan|jangan (ikuti|hiraukan)|ignore|disregard|forget)\b.{0,40}\b(instruksi|perintah|aturan|prompt|instructions?|rules?|sebelumnya|previous|above)\b/,
  /\b(system prompt|prompt sistem|you are now|kamu sekarang adalah|anda sekarang adalah|act as|bertindaklah sebagai)\b/,
  /\b(jawab|balas|answer|respond|output)\b.{0,20}\b(dengan|with)\b.{0,20}\b(opdcode|opd code|json|kode)\b/,
  /\b(opdcode|categorycode|confidence)\b\s*[:=]/,
];
const ROUTE_CUE = /\b(kirim|kirimkan|teruskan|arahkan|alihkan|masukkan|route|send|forward|klasifikasikan)\b(?:\s+\S+){0,4}?\s+\b(ke|kepada|to|sebagai|as)\b/;

/**
 * Spots instruction-like text in a complaint. The prompt already tells the model the complaint is data; this is
 * the second line of defence, checked in code: when an LLM answer lands on an OPD the text asked for, the answer
 * is not trusted on its own.
 */
export function detectInjection(text: string, profile: CityProfile): InjectionFinding {
  const sentences = text.split(/(?<=[.!?\n])\s+|\s*[;]\s*/);
  const requested = new Set<string>();
  const kept: string[] = [];
  let suspected = false;
  for (const sentence of sentences) {
    const norm = ` ${normalizeForMatch(sentence)} `;
    const override = OVERRIDE_CUES.some((re) => re.test(norm.trim()) || re.test(sentence.toLowerCase()));
    const routing = ROUTE_CUE.test(norm.trim());
    const named = profile.opds.filter((o) => {
      const code = ` ${normalizeForMatch(o.code)} `;
      return norm.includes(code) || norm.includes(` ${normalizeForMatch(o.name)} `);
    });
    if (override || (routing && named.length > 0)) {
      suspected = true;
      for (const o of named) requested.add(o.code);
      continue;
    }
    kept.push(sentence);
  }
  return { suspected, requestedOpdCodes: [...requested], cleanedText: kept.join(' ').trim() };
}
