import type { CitizenState, FlowContext, FlowInput, Reply, StepResult } from '../types.ts';
import { detectEmergency } from '../../nlp/detect-emergency.ts';
import { renderEmergencyReply } from '../../domain/render-emergency-reply.ts';
import { ageText, sameProblemText } from '../../domain/same-problem-texts.ts';
import { parseTrackingId } from '../../domain/tracking-id.ts';
import { STATUS_LABELS } from './texts.ts';
import type { EmergencyKind } from '../../lib/emergency-kinds.ts';

type Result = StepResult<CitizenState>;
type Step = (state: CitizenState, input: FlowInput, ctx: FlowContext) => Result;

/** Choice value prefix of "support this case" at the summary. */
export const SUPPORT_CHOICE = 'dukung:';

/**
 * Issue 14's parts of the intake, around the intake flow's own step (pure, like it):
 * - an emergency: the city's emergency numbers at once, before anything else, the first time a draft's
 *   description (or the classifier's flag) says so; then the report carries on as usual;
 * - the same problem: after classification, open cases of the same problem are looked up (effect findSimilar)
 *   and offered under the summary: support one (effect supportCase) or file anyway;
 * - a confirmed voice note (flows/citizen/voice-note.ts) that started a report: its audio joins the new draft.
 */
export function stepWithExtras(inner: Step, state: CitizenState, input: FlowInput, ctx: FlowContext): Result {
  if (input.kind === 'similarFound') return offerSimilar(state, input.cases, ctx);
  if (input.kind === 'supported') return afterSupport(state, input);
  if (input.kind === 'message' && state.step === 'confirm' && state.draft?.similarOffer?.length) {
    const trackingId = supportChoice(input.message.choice ?? input.message.text ?? '', state.draft.similarOffer);
    if (trackingId) return { state, replies: [], effects: [{ type: 'supportCase', trackingId }] };
  }
  let result = inner(state, input, ctx);
  if (input.kind === 'message') result = keepVoiceNote(state, input.message, result);
  result = withEmergencyNumbers(result, ctx);
  // Just classified, at the summary: look for the same problem before the citizen sends it.
  if (input.kind === 'classified' && result.state.step === 'confirm' && result.state.draft) {
    result = { ...result, effects: [...result.effects, { type: 'findSimilar', draft: result.state.draft }] };
  }
  return result;
}

function withEmergencyNumbers(result: Result, ctx: FlowContext): Result {
  const draft = result.state.draft;
  if (!draft?.description || draft.emergencyNotified) return result;
  const offline = detectEmergency(draft.description);
  const flagged = draft.classification?.emergency === true;
  if (!offline.urgent && !flagged) return result;
  const kind = (offline.urgent ? offline.kind : draft.classification?.emergencyKind) as EmergencyKind | undefined;
  const reply: Reply = { text: renderEmergencyReply({ contacts: ctx.profile.emergency.contacts, kind, language: result.state.lang }) };
  return { ...result, state: { ...result.state, draft: { ...draft, emergencyNotified: true } }, replies: [reply, ...result.replies] };
}

/** The audio of a confirmed voice note that began a report: the flow made the draft, the voice note joins it. */
function keepVoiceNote(before: CitizenState, message: Extract<FlowInput, { kind: 'message' }>['message'], result: Result): Result {
  const audios = (message.attachments ?? []).filter((a) => a.kind === 'audio');
  const draft = result.state.draft;
  // Only a draft this message started: an existing draft got the audio from the voice-note handler already.
  if (audios.length === 0 || !draft || before.draft || draft.audios?.length) return result;
  return { ...result, state: { ...result.state, draft: { ...draft, audios } } };
}

function offerSimilar(state: CitizenState, cases: Extract<FlowInput, { kind: 'similarFound' }>['cases'], ctx: FlowContext): Result {
  if (!state.draft || state.step !== 'confirm' || cases.length === 0) return { state, replies: [], effects: [] };
  const lang = state.lang;
  const lines = cases.map((c) =>
    sameProblemText(lang, 'caseLine', {
      trackingId: c.trackingId,
      category: categoryName(ctx, c.categoryCode, lang),
      status: STATUS_LABELS[lang][c.status] ?? c.status,
      age: ageText(lang, new Date(c.submittedAt), ctx.now),
    }),
  );
  const reply: Reply = {
    text: sameProblemText(lang, 'offer', { cases: lines.join('\n') }),
    choices: [
      ...cases.map((c) => ({ value: `${SUPPORT_CHOICE}${c.trackingId}`, label: sameProblemText(lang, 'support', { trackingId: c.trackingId }) })),
      // The summary's own "yes": files the citizen's report as it is.
      { value: lang === 'id' ? 'ya' : 'yes', label: sameProblemText(lang, 'fileOwn') },
    ],
  };
  const next: CitizenState = { ...state, draft: { ...state.draft, similarOffer: cases.map((c) => c.trackingId) } };
  return { state: next, replies: [reply], effects: [] };
}

function categoryName(ctx: FlowContext, code: string | null, lang: 'id' | 'en'): string {
  const category = code ? ctx.profile.categories.find((c) => c.code === code) : undefined;
  return (lang === 'en' ? category?.topic?.en : undefined) ?? category?.name ?? '-';
}

/** "dukung:LPR-ABC234" (a button), "dukung LPR-ABC234" or just "dukung" (the first offered). */
function supportChoice(raw: string, offered: readonly string[]): string | undefined {
  const text = raw.trim();
  if (text.startsWith(SUPPORT_CHOICE)) {
    const id = text.slice(SUPPORT_CHOICE.length);
    return offered.includes(id) ? id : undefined;
  }
  const m = /^(dukung|support)(?:\s+(\S+))?$/i.exec(text);
  if (!m) return undefined;
  if (!m[2]) return offered[0];
  const id = parseTrackingId(m[2]);
  return id && offered.includes(id) ? id : undefined;
}

function afterSupport(state: CitizenState, event: Extract<FlowInput, { kind: 'supported' }>): Result {
  const lang = state.lang;
  if (event.ok) {
    // The citizen follows that case now; their own draft is not sent.
    const next: CitizenState = { ...state, step: 'idle', draft: undefined };
    return { state: next, replies: [{ text: event.reply ?? '', caseRef: event.trackingId }], effects: [] };
  }
  const draft = state.draft ? { ...state.draft, similarOffer: state.draft.similarOffer?.filter((id) => id !== event.trackingId) } : undefined;
  return {
    state: { ...state, draft },
    replies: [{ text: sameProblemText(lang, 'supportFailed', { trackingId: event.trackingId }) }],
    effects: [],
  };
}
