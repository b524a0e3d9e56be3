import { normalizeForMatch, type CityProfile } from '../lib/city-profile.ts';
import { findUnit, recognizeUnits } from '../lib/city-units.ts';

/** Statuses an inbox can be filtered by (db/enums CASE_STATUSES; repeated here because domain imports only lib). */
export type InboxStatus = 'submitted' | 'verified' | 'forwarded' | 'rerouted' | 'answered' | 'reopened' | 'rejected' | 'closed';

/** What `/inbox …` asks for. Access rules still apply: a filter only narrows what the admin may see. */
export interface InboxFilter {
  /** 1-based. */
  page: number;
  opdCode?: string;
  unitCode?: string;
  status?: InboxStatus;
  /** Only cases past a deadline. */
  overdue?: boolean;
  /** Only darurat cases. */
  urgent?: boolean;
  /** Every open case the admin may see, not only those waiting for its own action. */
  all?: boolean;
}

export type InboxQueryErrorCode = 'INBOX_UNKNOWN_WORD' | 'INBOX_PAGE_INVALID' | 'INBOX_TWO_PAGES' | 'INBOX_TWO_OPDS' | 'INBOX_TWO_STATUSES' | 'INBOX_UNIT_NOT_UNDER_OPD';

export type InboxQueryResult = { ok: true; filter: InboxFilter } | { ok: false; code: InboxQueryErrorCode; word: string };

/** A typo like "/inbox 20261130" would ask for an offset far past any inbox; 1000 pages is beyond any real one. */
export const MAX_INBOX_PAGE = 1000;

const STATUS_WORDS: Record<string, InboxStatus> = {
  baru: 'submitted', masuk: 'submitted', submitted: 'submitted',
  verifikasi: 'verified', diverifikasi: 'verified', terverifikasi: 'verified', verified: 'verified',
  diteruskan: 'forwarded', teruskan: 'forwarded', forwarded: 'forwarded',
  dikembalikan: 'rerouted', kembali: 'rerouted', kembalikan: 'rerouted', rerouted: 'rerouted',
  dijawab: 'answered', dibalas: 'answered', answered: 'answered',
  dibuka: 'reopened', reopened: 'reopened',
  ditolak: 'rejected', rejected: 'rejected',
  selesai: 'closed', ditutup: 'closed', closed: 'closed',
};
const OVERDUE_WORDS = new Set(['terlambat', 'telat', 'lewat', 'overdue']);
const URGENT_WORDS = new Set(['darurat', 'urgent', 'mendesak']);
const ALL_WORDS = new Set(['semua', 'all']);
const PAGE_WORDS = new Set(['hal', 'halaman', 'page', 'p']);

/** An OPD by code, case-insensitive, or by a code prefix of 3+ letters naming one OPD ("dinsos", "perumda"). */
function matchOpd(profile: CityProfile, word: string): string | undefined {
  const upper = word.toUpperCase();
  const exact = profile.opds.find((o) => o.code === upper);
  if (exact) return exact.code;
  if (upper.length < 3) return undefined;
  const byPrefix = profile.opds.filter((o) => o.code.startsWith(upper));
  return byPrefix.length === 1 ? byPrefix[0].code : undefined;
}

/**
 * Parses the words after /inbox: a page number ("2", "hal 2"), an OPD ("dlh") or unit code ("PKM-ARJUNO") or
 * unit name ("kelurahan sumbersari"), a status word ("baru", "diteruskan"), "terlambat", "darurat", "semua",
 * in any order. Unknown or contradictory words give a typed error naming the word, so the reply can show it.
 */
export function parseInboxQuery(profile: CityProfile, args: string): InboxQueryResult {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const filter: InboxFilter = { page: 1 };
  let pageSet = false;
  let opdWord: string | undefined;
  const leftovers: string[] = [];
  const fail = (code: InboxQueryErrorCode, word: string): InboxQueryResult => ({ ok: false, code, word });
  for (let i = 0; i < words.length; i++) {
    const raw = words[i];
    const word = raw.toLowerCase().replace(/^#/, '');
    const next = words[i + 1];
    const pageText = /^\d+$/.test(word) ? word : PAGE_WORDS.has(word) && next && /^\d+$/.test(next) ? next : undefined;
    if (pageText !== undefined) {
      if (pageText !== word) i++;
      const page = Number(pageText);
      if (!Number.isSafeInteger(page) || page < 1 || page > MAX_INBOX_PAGE) return fail('INBOX_PAGE_INVALID', pageText);
      if (pageSet) return fail('INBOX_TWO_PAGES', pageText);
      filter.page = page;
      pageSet = true;
      continue;
    }
    if (OVERDUE_WORDS.has(word)) { filter.overdue = true; continue; }
    if (URGENT_WORDS.has(word)) { filter.urgent = true; continue; }
    if (ALL_WORDS.has(word)) { filter.all = true; continue; }
    const status = STATUS_WORDS[word];
    if (status) {
      if (filter.status && filter.status !== status) return fail('INBOX_TWO_STATUSES', raw);
      filter.status = status;
      continue;
    }
    const unit = findUnit(profile, word);
    if (unit) {
      if (filter.unitCode && filter.unitCode !== unit.code) return fail('INBOX_TWO_OPDS', raw);
      filter.unitCode = unit.code;
      continue;
    }
    const opd = matchOpd(profile, word);
    if (opd) {
      if (filter.opdCode && filter.opdCode !== opd) return fail('INBOX_TWO_OPDS', raw);
      filter.opdCode = opd;
      opdWord = raw;
      continue;
    }
    leftovers.push(raw);
  }
  if (leftovers.length > 0) {
    // Words left over may name a unit ("puskesmas arjuno"), possibly with a word taken for an OPD before them
    // ("kelurahan sumbersari", "kel sumbersari"): all of them, exactly, or it is an unknown word.
    const named = (text: string) => {
      const mention = recognizeUnits(profile, text)[0];
      const exact = mention && [mention.unit.name, ...mention.unit.aliases].some((n) => normalizeForMatch(n) === normalizeForMatch(text));
      // recognizeUnits also knows abbreviations ("kel sumbersari"): accept a mention covering the whole text.
      return mention && (exact || mention.length === normalizeForMatch(text).length) ? mention.unit : undefined;
    };
    const rest = leftovers.join(' ');
    let unit = named(rest);
    if (!unit && opdWord) {
      unit = named(`${opdWord} ${rest}`);
      if (unit) delete filter.opdCode;
    }
    if (!unit || (filter.unitCode && filter.unitCode !== unit.code)) return fail('INBOX_UNKNOWN_WORD', leftovers[0]);
    filter.unitCode = unit.code;
  }
  if (filter.unitCode) {
    const unitOpd = findUnit(profile, filter.unitCode)!.opdCode;
    if (filter.opdCode && filter.opdCode !== unitOpd) return fail('INBOX_UNIT_NOT_UNDER_OPD', filter.unitCode);
    filter.opdCode = unitOpd;
  }
  return { ok: true, filter };
}
