import type { WorkingCalendar } from '../../lib/working-days.ts';
import type { MessageHandler } from '../engine.ts';
import type { CitizenState, Language, Reply } from '../types.ts';
import { normalizeForMatch } from '../../lib/city-profile.ts';
import { citizenIdForKey, findCaseOwner } from '../../db/citizens.ts';
import { findAnsweredCaseForCitizen, findLastAnsweredCaseForCitizen } from '../../db/admin-queries.ts';
import type { ActionDeps, Actor } from '../../cases/change-case.ts';
import { citizenAddInfo } from '../../cases/add-information.ts';
import { citizenSatisfied } from '../../cases/confirm-solved.ts';
import { citizenUnsatisfied } from '../../cases/reopen-case.ts';
import { rateCase } from '../../cases/rate-case.ts';
import { ft } from '../../domain/case-notices.ts';
import { t, STATUS_LABELS } from './texts.ts';
import { parseTrackingId } from '../../domain/tracking-id.ts';
import { isOpen } from '../../domain/case-status.ts';
import { citizenMayAct } from '../../domain/case-access.ts';
import { hasLetters } from './citizen-flow.ts';
import { readRating } from '../../nlp/understand-number.ts';
import { readSatisfaction } from '../../nlp/understand-satisfaction.ts';
import { readStepCommand } from '../../nlp/understand-command.ts';

/**
 * What a citizen says about a case after filing it: "puas" / "belum" after an answer, the 1-5 rating, and
 * added information ("tambah <id> <teks>", or a reply to the bot's message about the case). Runs as a step of
 * the engine's pipeline; anything else falls through to the intake flow untouched.
 */

const SATISFIED = ['puas', 'sudah puas', 'sudah selesai', 'selesai', 'sudah beres', 'beres', 'solved', 'satisfied', 'yes solved'];
const UNSATISFIED_BARE = ['belum', 'belum selesai', 'belum puas', 'belum beres', 'tidak puas', 'gak puas', 'kurang puas', 'not solved', 'not yet', 'not solved yet'];
const SKIP = ['lewati', 'skip', 'tidak', 'gak', 'nggak', 'no', 'nanti'];
const CANCEL = ['batal', 'cancel', '/batal', '/cancel'];
const MIN_REASON_CHARS = 5;

/**
 * "belum, airnya masih mati" → "airnya masih mati"; "belum" → ""; undefined when the text is not a "belum".
 * Strict by default, because "Belum ada lampu jalan di gang saya" is a new complaint, not an answer; lenient
 * when the citizen replied to the bot's message about the case.
 */
export function unsatisfiedWords(text: string, lenient = false): string | undefined {
  const trimmed = text.trim();
  const qualified = /^(belum\s+(?:selesai|puas|beres)|tidak puas|gak puas|kurang puas|not solved(?: yet)?|not yet)(?=$|[\s,.:;!-])[\s,.:;!-]*([\s\S]*)$/i.exec(trimmed);
  if (qualified) return qualified[2].trim();
  const bare = (lenient ? /^belum(?:(?:\s*[,.:;!-]+\s*|\s+)([\s\S]*))?$/i : /^belum(?:\s*[,.:;!-]+\s*([\s\S]*))?$/i).exec(trimmed);
  if (bare) return (bare[1] ?? '').trim();
  return undefined;
}

const ratingChoices = () => [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: '⭐'.repeat(n) }));

export function createFollowUpHandler(deps: { calendar: WorkingCalendar }): MessageHandler {
  return async (message, ctx) => {
    const state = ctx.citizenState;
    const lang: Language = state.lang;
    const text = (message.choice ?? message.text ?? '').trim();
    const words = normalizeForMatch(text);
    const setState = (next: CitizenState) => ctx.setCitizenState?.(next);
    const clearFollowUp = () => {
      if (state.followUp) setState({ ...state, followUp: undefined });
    };
    if (!text) return undefined;
    const actionDeps: ActionDeps = { db: ctx.db, calendar: deps.calendar, now: ctx.now };

    const add = /^\s*\/?tambah(?:@\w+)?\s+(\S+)(?:\s+([\s\S]*))?$/i.exec(text);
    const busy = state.step !== 'idle' && state.step !== 'menu';
    const isChoice = message.choice !== undefined;
    // "puas", "belum", and the free answers people give instead ("sudah beres min", "masih banjir min").
    const reading = readSatisfaction(text);
    // Mid-intake a bare "tidak" or "sudah" answers the intake's question, so only the strict words count there.
    const followUpWord = SATISFIED.includes(words) || UNSATISFIED_BARE.includes(words) || (!busy && reading !== undefined && reading.reason === '');
    // In the middle of an intake, only these can be meant for a case already filed; skip the lookups otherwise.
    if (!state.followUp && !add && !message.replyToCase && busy && !isChoice && !followUpWord) return undefined;
    const citizenId = await citizenIdForKey(ctx.db, message.key);
    if (!citizenId) return undefined;
    const actor: Actor = { type: 'citizen', id: citizenId };
    const ownCase = async (trackingId: string) => {
      const c = await findCaseOwner(ctx.db, trackingId);
      return c && citizenMayAct(c.reporterId === citizenId, 'addInfo') ? c : null;
    };

    // 1. A question we asked is pending.
    if (state.followUp) {
      const pending = state.followUp;
      if (pending.awaiting === 'rating') {
        // "4", "lima", "5 bintang", "⭐⭐⭐⭐", "4/5".
        const rating = readRating(text);
        if (rating !== undefined) {
          setState({ ...state, followUp: undefined });
          await rateCase(actionDeps, actor, pending.trackingId, rating);
          return [{ text: ft(lang, 'ratingThanks', { rating }) }];
        }
        if (SKIP.includes(words) || readStepCommand(text) === 'skip') {
          setState({ ...state, followUp: undefined });
          return [{ text: ft(lang, 'ratingSkipped') }];
        }
        // A number out of range ("7", "sepuluh") or stars beyond five: still a rating, so ask again.
        if (/^\d+$/.test(text) || /⭐/u.test(text) || /\b(?:bintang|stars?|nilai)\b/i.test(text)) return [{ text: ft(lang, 'ratingReask'), choices: ratingChoices() }];
        // Anything else: the citizen moved on; forget the question and let the intake flow answer.
        clearFollowUp();
        return undefined;
      }
      // awaiting the reason of a "belum"
      if (CANCEL.includes(words) || text.startsWith('/')) {
        clearFollowUp();
        return undefined;
      }
      if (!hasLetters(text) || text.length < MIN_REASON_CHARS) return [{ text: ft(lang, 'reasonTooShort') }];
      setState({ ...state, followUp: undefined });
      return unsatisfied(pending.trackingId, text);
    }

    // 2. "tambah <id> <teks>": add information to an open case.
    if (add) {
      const trackingId = parseTrackingId(add[1]);
      if (trackingId) {
        if (!add[2]?.trim()) return [{ text: ft(lang, 'addInfoUsage') }];
        return addInfo(trackingId, add[2].trim());
      }
    }

    // 3. A reply to the bot's message about one of the citizen's cases.
    if (message.replyToCase && !text.startsWith('/')) {
      const c = await ownCase(message.replyToCase);
      if (c) {
        if (c.status === 'answered') {
          const handled = await answerFollowUp(c.trackingId, true);
          if (handled) return handled;
        } else if (isFollowUpAnswer(true)) {
          // "puas"/"belum" on a case that is no longer waiting for it (closed automatically, say): say so.
          return followUpRefused(c.trackingId);
        }
        return addInfo(c.trackingId, text);
      }
    }

    // 4. "puas" / "belum" about the most recently answered case.
    const answered = await findAnsweredCaseForCitizen(ctx.db, citizenId);
    if (answered) {
      if (followUpWord || isChoice || !busy) {
        const handled = await answerFollowUp(answered.trackingId);
        if (handled) return handled;
      }
    } else if ((isChoice || !busy) && followUpWord) {
      // 5. A bare "puas"/"belum" with nothing waiting for it: about the case answered last, if it is closed by
      // now (automatically after 10 working days, or by an admin), tell the citizen instead of showing the menu.
      // "belum, <words>" is left to the intake flow, which takes it as a new complaint and so loses nothing.
      const last = await findLastAnsweredCaseForCitizen(ctx.db, citizenId);
      if (last && !isOpen(last.status)) return followUpRefused(last.trackingId);
    }
    return undefined;

    /** Whether the text is a "puas" or "belum" answer (lenient: a reply to the bot's message about the case). */
    function isFollowUpAnswer(lenient: boolean): boolean {
      return SATISFIED.includes(words) || UNSATISFIED_BARE.includes(words) || unsatisfiedWords(text, lenient) !== undefined;
    }

    /** The reply to a "puas"/"belum" the case can no longer take: never a reopen, never silence. */
    async function followUpRefused(trackingId: string): Promise<Reply[]> {
      const c = await ownCase(trackingId);
      if (c && isOpen(c.status)) {
        return [{ text: ft(lang, 'followUpNotPending', { trackingId, status: STATUS_LABELS[lang][c.status] ?? c.status }), caseRef: trackingId }];
      }
      return [{ text: ft(lang, 'followUpClosed', { trackingId }), caseRef: trackingId }];
    }

    async function answerFollowUp(trackingId: string, lenient = false): Promise<Reply[] | undefined> {
      if (SATISFIED.includes(words) || reading?.verdict === 'puas') {
        const result = await citizenSatisfied(actionDeps, actor, trackingId);
        // Closed or reopened between reading and writing (the automatic close ran at that moment).
        if (!result.ok) return followUpRefused(trackingId);
        setState({ ...state, followUp: { trackingId, awaiting: 'rating' } });
        return [{ text: ft(lang, 'thanksAskRating', { trackingId }), choices: ratingChoices(), caseRef: trackingId }];
      }
      // The strict reading first ("belum, airnya masih mati"); then free text that says it is not solved
      // ("masih banjir min"), whose words are the reason.
      const reason = unsatisfiedWords(text, lenient) ?? (reading?.verdict === 'belum' ? reading.reason : undefined);
      if (reason === undefined) return undefined;
      if (!reason || !hasLetters(reason) || reason.length < MIN_REASON_CHARS) {
        setState({ ...state, followUp: { trackingId, awaiting: 'reason' } });
        return [{ text: ft(lang, 'askWhatIsWrong', { trackingId }), caseRef: trackingId }];
      }
      return unsatisfied(trackingId, reason);
    }

    async function unsatisfied(trackingId: string, reason: string): Promise<Reply[]> {
      const result = await citizenUnsatisfied(actionDeps, actor, trackingId, reason);
      // The case is no longer answered (e.g. closed automatically while we waited for the reason).
      if (!result.ok) return followUpRefused(trackingId);
      if (result.to === 'reopened') return [{ text: ft(lang, 'reopened', { trackingId, opdName: result.opdName ?? '-' }), caseRef: trackingId }];
      return [{ text: ft(lang, 'closedUnresolved', { trackingId }), caseRef: trackingId }];
    }

    async function addInfo(trackingId: string, info: string): Promise<Reply[]> {
      const c = await ownCase(trackingId);
      // Someone else's case and a missing case read the same, so ids cannot be probed.
      if (!c) return [{ text: t(lang, 'caseNotFound', { trackingId }) }];
      if (!isOpen(c.status)) return [{ text: ft(lang, 'caseNotOpen', { trackingId, status: STATUS_LABELS[lang][c.status] ?? c.status }) }];
      const result = await citizenAddInfo(actionDeps, actor, trackingId, info);
      if (!result.ok) return [{ text: ft(lang, 'caseNotOpen', { trackingId, status: STATUS_LABELS[lang][c.status] ?? c.status }) }];
      return [{ text: ft(lang, 'infoAdded', { trackingId }), caseRef: trackingId }];
    }
  };
}
