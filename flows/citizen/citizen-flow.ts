import { recognizeArea, findPlace, normalizeForMatch, type RecognizedArea } from '../../lib/city-profile.ts';
import { coreWords } from '../../nlp/message-words.ts';
import { readSmallTalk, type SmallTalk } from '../../nlp/understand-small-talk.ts';
import { hasSubstance, readOpening } from '../../nlp/understand-opening.ts';
import { readYesNo } from '../../nlp/understand-yes-no.ts';
import { readMenuChoice, readStepCommand } from '../../nlp/understand-command.ts';
import { readNumber } from '../../nlp/understand-number.ts';
import { readPrivacy } from '../../nlp/understand-privacy.ts';
import { detectLanguage } from '../../nlp/detect-language.ts';
import { findPlaceInText, placeSignals, readCoordinates, readPlaceAnswer, type PlaceMatch } from '../../nlp/understand-place.ts';
import { guessTopic, hasTopic } from '../../nlp/guess-topic.ts';
import { detectReportKind } from '../../nlp/report-kind.ts';
import { PRIVACY_LABELS, REPORT_KIND_LABELS, STATUS_LABELS, formatLocalTime, t, unsupportedName, type TextKey } from './texts.ts';
import { parseTrackingId } from '../../domain/tracking-id.ts';
import type {
  CitizenState,
  CitizenStep,
  Choice,
  Effect,
  FlowContext,
  FlowInput,
  InboundMessage,
  IntakeDraft,
  Language,
  MessageReading,
  Reply,
  StepResult,
} from '../types.ts';

export const MAX_PHOTOS = 5;
const MIN_DESCRIPTION_CHARS = 10;
/** A first message this long is taken as the complaint itself, with no menu in between. */
const DIRECT_REPORT_MIN_CHARS = 25;
const DIRECT_REPORT_MIN_WORDS = 4;
/**
 * After this long without a word, a draft's pending question comes back with a reminder of the draft: people
 * come back to a chat hours later and no longer remember where they were. Two hours: a lunch break is not one.
 */
const LONG_SILENCE_MS = 2 * 60 * 60 * 1000;
/** The reminder quotes the description up to this many characters (one line on a phone). */
const REMINDER_QUOTE_CHARS = 60;
/** A free first message shorter than this is not worth an LLM call (greetings, "mau lapor"). */
const LLM_READ_MIN_CHARS = 20;

export function initialCitizenState(lang: Language = 'id'): CitizenState {
  return { lang, step: 'idle', draftSeq: 0 };
}

type Result = StepResult<CitizenState>;

const done = (state: CitizenState, replies: Reply[] = [], effects: Effect[] = []): Result => ({ state, replies, effects });

function words(text: string): string {
  return normalizeForMatch(text);
}

function isOneOf(text: string, options: string[]): boolean {
  return options.includes(words(text));
}

const EDIT_WORDS = ['ubah', 'edit', 'ganti', 'revisi', 'change', 'ubah dulu', 'koreksi', 'perbaiki', 'benahi', 'diubah', 'ada yang salah'];
const ENGLISH_WORDS = ['english', 'bahasa inggris', 'inggris', 'lang en', 'in english', 'english please', 'speak english', 'can you speak english'];
const INDONESIAN_WORDS = ['bahasa indonesia', 'indonesia', 'indonesian', 'lang id', 'pakai bahasa indonesia', 'bahasa'];

/** Steps in the middle of a report, where a draft exists. */
const REPORT_STEPS: CitizenStep[] = ['description', 'location', 'location_outside', 'location_area', 'photo', 'privacy', 'confirm', 'edit', 'confirm_cancel'];

/** Options answered by number: 1, 2, 3… in the order given. */
function numberedChoices(lang: Language, labels: TextKey[]): Choice[] {
  return labels.map((key, i) => ({ value: String(i + 1), label: t(lang, key) }));
}

const menuChoices = (lang: Language) => numberedChoices(lang, ['menu1', 'menu2', 'menu3', 'menu4']);
const privacyChoices = (lang: Language) => numberedChoices(lang, ['privacyBiasa', 'privacyAnonim', 'privacyRahasia']);
const editChoices = (lang: Language) => numberedChoices(lang, ['editDescription', 'editLocation', 'editPhoto', 'editPrivacy']);

function confirmChoices(lang: Language): Choice[] {
  // The value is also what a citizen types on WhatsApp or the terminal, so it is a word in their language.
  return [
    { value: lang === 'id' ? 'ya' : 'yes', label: t(lang, 'confirmYes') },
    { value: lang === 'id' ? 'ubah' : 'edit', label: t(lang, 'confirmEdit') },
    { value: lang === 'id' ? 'batal' : 'cancel', label: t(lang, 'confirmCancel') },
  ];
}

function yesNoChoices(lang: Language): Choice[] {
  return lang === 'id'
    ? [{ value: 'ya', label: 'Ya' }, { value: 'tidak', label: 'Tidak' }]
    : [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }];
}

function greeting(state: CitizenState, ctx: FlowContext): Reply {
  return { text: t(state.lang, 'greeting', { city: ctx.profile.name }), choices: menuChoices(state.lang) };
}

function photoPrompt(lang: Language, key: TextKey = 'askPhoto'): Reply {
  return { text: t(lang, key), choices: [lang === 'id' ? { value: 'lewati', label: 'Lewati' } : { value: 'skip', label: 'Skip' }] };
}

function locationLabel(draft: IntakeDraft): string | undefined {
  if (draft.locationText) return draft.locationText;
  const area = areaLabel(draft);
  if (draft.latitude !== undefined) return `${draft.latitude.toFixed(5)}, ${draft.longitude?.toFixed(5)}${area ? ` (${area})` : ''}`;
  return area || undefined;
}

function areaLabel(area: RecognizedArea): string {
  return [area.kelurahan ? `Kel. ${area.kelurahan}` : undefined, area.kecamatan ? `Kec. ${area.kecamatan}` : undefined].filter(Boolean).join(', ');
}

/** A request for information ("cara bikin KTP gimana?") needs no place unless the citizen gives one. */
function isQuestion(draft: IntakeDraft | undefined): boolean {
  return Boolean(draft?.description && detectReportKind(draft.description) === 'permintaan_informasi');
}

function hasLocation(draft: IntakeDraft | undefined): boolean {
  return Boolean(draft && (draft.locationText || draft.latitude !== undefined || draft.placeCode));
}

/** The question the citizen is expected to answer at a step; used after help, language change or bad input. */
export function promptFor(state: CitizenState, ctx: FlowContext): Reply[] {
  const lang = state.lang;
  switch (state.step) {
    case 'idle':
    case 'menu':
      return [greeting(state, ctx)];
    case 'description':
      // Back at the description (after "kembali"): show what is there, so it can be kept.
      if (state.draft?.description) return [{ text: t(lang, 'backToDescription', { description: state.draft.description }) }];
      return [{ text: t(lang, 'askDescription') }];
    case 'location': {
      const current = state.draft ? locationLabel(state.draft) : undefined;
      if (current) return [{ text: t(lang, 'locationPrefilled', { place: current }) }];
      if (isQuestion(state.draft)) return [photoPrompt(lang, 'askLocationOptional')];
      return [{ text: t(lang, 'askLocation') }];
    }
    case 'location_outside':
      // A pin is "titik itu"; a place the citizen typed is "lokasi itu".
      return [
        {
          text: t(lang, state.draft?.latitude !== undefined ? 'outsideAskPin' : 'outsideAsk', { city: ctx.profile.name, where: state.draft?.outside ? ` (${state.draft.outside})` : '' }),
          choices: yesNoChoices(lang),
        },
      ];
    case 'location_area':
      return [photoPrompt(lang, 'askArea')];
    case 'photo':
      return [photoPrompt(lang)];
    case 'privacy':
      return [{ text: t(lang, 'askPrivacy'), choices: privacyChoices(lang) }];
    case 'classifying':
      return [{ text: t(lang, 'classifying') }];
    case 'confirm':
      return [summary(state, ctx)];
    case 'edit':
      return [{ text: t(lang, 'askEdit'), choices: editChoices(lang) }];
    case 'filing':
      return [];
    case 'status_id':
      return [{ text: t(lang, 'askTrackingId') }];
    case 'confirm_cancel':
      return [{ text: t(lang, 'cancelAsk'), choices: yesNoChoices(lang) }];
  }
}

/** The pending question in one short line, for an answer that did not fit (never the whole menu). */
function reaskFor(state: CitizenState, ctx: FlowContext): Reply[] {
  const lang = state.lang;
  switch (state.step) {
    case 'idle':
    case 'menu':
      return [{ text: t(lang, 'menuReask'), choices: menuChoices(lang) }];
    case 'description':
      return [{ text: t(lang, 'descriptionReask') }];
    case 'location':
      if (!hasLocation(state.draft) && isQuestion(state.draft)) return [photoPrompt(lang, 'askLocationOptional')];
      return [{ text: t(lang, hasLocation(state.draft) ? 'locationPrefilledReask' : 'locationReask') }];
    case 'location_outside':
      return [{ text: t(lang, 'outsideReask'), choices: yesNoChoices(lang) }];
    case 'location_area':
      return [photoPrompt(lang, 'areaReask')];
    case 'photo':
      return [photoPrompt(lang, 'photoReask')];
    case 'privacy':
      return [{ text: t(lang, 'privacyReask'), choices: privacyChoices(lang) }];
    case 'confirm':
      return [{ text: t(lang, 'confirmReask'), choices: confirmChoices(lang) }];
    case 'edit':
      return [{ text: t(lang, 'editReask'), choices: editChoices(lang) }];
    case 'status_id':
      return [{ text: t(lang, 'trackingIdInvalid') }];
    case 'confirm_cancel':
      return [{ text: t(lang, 'cancelReask'), choices: yesNoChoices(lang) }];
    default:
      return promptFor(state, ctx);
  }
}

function summary(state: CitizenState, ctx: FlowContext): Reply {
  const lang = state.lang;
  const draft = state.draft ?? { photos: [] };
  const c = draft.classification;
  const category = c ? ctx.profile.categories.find((x) => x.code === c.categoryCode) : undefined;
  const opd = c ? ctx.profile.opds.find((x) => x.code === c.opdCode) : undefined;
  const location =
    draft.locationText ?? (draft.latitude !== undefined ? `${draft.latitude.toFixed(5)}, ${draft.longitude?.toFixed(5)}` : '-');
  const area = areaLabel(draft);
  const lines = [
    t(lang, 'summaryTitle'),
    `${t(lang, 'summaryKind')}: ${c ? REPORT_KIND_LABELS[lang][c.reportKind] : '-'}`,
    `${t(lang, 'summaryDescription')}: ${draft.description ?? '-'}`,
    `${t(lang, 'summaryLocation')}: ${location}${area && !location.includes(area) ? ` (${area})` : ''}`,
    `${t(lang, 'summaryPhotos')}: ${draft.photos.length > 0 ? t(lang, 'summaryPhotoCount', { count: draft.photos.length }) : t(lang, 'summaryNoPhoto')}`,
    `${t(lang, 'summaryPrivacy')}: ${draft.privacy ? PRIVACY_LABELS[lang][draft.privacy] : '-'}`,
    // Category names are the city's Indonesian ones; an English reader gets the topic in English.
    `${t(lang, 'summaryCategory')}: ${(lang === 'en' ? category?.topic?.en : undefined) ?? category?.name ?? '-'}`,
    // The agency's name as citizens know it; the internal code is for admins.
    `${t(lang, 'summaryOpd')}: ${opd?.name ?? '-'}`,
    '',
    t(lang, 'summaryQuestion'),
  ];
  return { text: lines.join('\n'), choices: confirmChoices(lang) };
}

/** Whether the text has any letter at all ("???" and "123" are not a description or a reason). */
export function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}

/** A first message that is the complaint itself: long enough, or short but naming a topic ("sampah numpuk"). */
function looksLikeComplaint(text: string, ctx: FlowContext): boolean {
  const trimmed = text.trim();
  if (!hasLetters(trimmed)) return false;
  const long = trimmed.length >= DIRECT_REPORT_MIN_CHARS && trimmed.split(/\s+/).length >= DIRECT_REPORT_MIN_WORDS;
  return long || (hasSubstance(trimmed, MIN_DESCRIPTION_CHARS) && hasTopic(ctx.profile, trimmed));
}

function newDraft(): IntakeDraft {
  return { photos: [] };
}

function draftHasContent(draft: IntakeDraft | undefined): boolean {
  return Boolean(draft && (draft.description || draft.photos.length > 0 || draft.locationText || draft.latitude !== undefined || draft.lead));
}

/** Puts a place on the draft: the citizen's words, and what the city profile knows of it. */
function withPlace(draft: IntakeDraft, text: string | undefined, match: PlaceMatch): IntakeDraft {
  const next: IntakeDraft = { ...draft, locationText: text ?? draft.locationText, outside: match.outside };
  next.placeCode = match.placeCode;
  next.kelurahan = match.kelurahan;
  next.kecamatan = match.kecamatan;
  if (match.latitude !== undefined) {
    next.latitude = match.latitude;
    next.longitude = match.longitude;
  } else if (text !== undefined) {
    next.latitude = undefined;
    next.longitude = undefined;
  }
  return next;
}

interface StartOptions {
  description?: string;
  placeCode?: string;
  lead?: string;
  prefix?: Reply[];
  /** false: the prefix already asks (a question's "apa yang ingin ditanyakan?"). */
  ask?: boolean;
}

function startReport(state: CitizenState, ctx: FlowContext, options: StartOptions = {}): Result {
  let draft = newDraft();
  const place = options.placeCode ? findPlace(ctx.profile, options.placeCode) : undefined;
  if (place) {
    draft.placeCode = place.code;
    draft.locationText = [place.name, place.address].filter(Boolean).join(', ');
    draft.kelurahan = place.kelurahan;
    draft.kecamatan = place.kecamatan;
  }
  if (options.lead) draft = { ...draft, lead: options.lead };
  const next: CitizenState = { ...state, draft, draftSeq: state.draftSeq + 1, step: 'description', cancelFrom: undefined };
  const prefix = options.prefix ?? [];
  if (options.description === undefined) {
    const ask: Reply[] =
      options.ask === false ? [] : options.lead ? [{ text: t(state.lang, 'askDescriptionMore', { lead: options.lead }) }] : promptFor(next, ctx);
    return done(next, [...prefix, ...ask]);
  }
  const result = acceptDescription(next, ctx, options.description);
  return { ...result, replies: [...prefix, ...result.replies] };
}

function joinDescription(first: string, more: string): string {
  const a = first.trim();
  return /[.!?…]$/.test(a) ? `${a} ${more.trim()}` : `${a}. ${more.trim()}`;
}

function acceptDescription(state: CitizenState, ctx: FlowContext, text: string): Result {
  const lang = state.lang;
  const trimmed = text.trim();
  if (!hasLetters(trimmed)) return done(state, [{ text: t(lang, 'descriptionNoWords') }]);
  const lead = state.draft?.lead;
  if (trimmed.length < MIN_DESCRIPTION_CHARS && !lead) {
    // "sampah", "banjir": the topic is clear, the story is not yet. Kept, and the rest is asked for.
    if (hasTopic(ctx.profile, trimmed)) {
      const next: CitizenState = { ...state, draft: { ...(state.draft ?? newDraft()), lead: trimmed } };
      return done(next, [{ text: t(lang, 'askDescriptionMore', { lead: trimmed }) }]);
    }
    return done(state, [{ text: t(lang, 'descriptionTooShort') }]);
  }
  const description = lead ? joinDescription(lead, trimmed) : trimmed;
  let draft: IntakeDraft = { ...(state.draft ?? newDraft()), description, lead: undefined, classification: undefined };
  const replies: Reply[] = [];
  const topic = guessTopic(ctx.profile, description, lang);
  if (topic) replies.push({ text: t(lang, 'topicAck', { topic }) });
  if (draft.editing) return withReplies(classify({ ...state, draft: { ...draft, editing: false } }), replies);
  // A place named in the complaint is used without asking again (a QR code's place stays, the citizen confirms it).
  if (!hasLocation(draft)) {
    const found = findPlaceInText(ctx.profile, description);
    if (found) {
      draft = withPlace(draft, found.text, found);
      if (found.outside) {
        const next: CitizenState = { ...state, draft, step: 'location_outside' };
        return done(next, [...replies, ...promptFor(next, ctx)]);
      }
      replies.push({ text: t(lang, 'locationNoted', { place: locationLabel(draft) ?? found.text }) });
      const next: CitizenState = { ...state, draft, step: 'photo' };
      return done(next, [...replies, ...promptFor(next, ctx)]);
    }
  }
  if (hasLocation(draft) && !draft.placeCode) {
    // A shared pin or a place from the first message: nothing to ask.
    const next: CitizenState = { ...state, draft, step: 'photo' };
    return done(next, [...replies, ...promptFor(next, ctx)]);
  }
  const next: CitizenState = { ...state, draft, step: 'location' };
  return done(next, [...replies, ...promptFor(next, ctx)]);
}

function withReplies(result: Result, before: Reply[]): Result {
  return { ...result, replies: [...before, ...result.replies] };
}

function classify(state: CitizenState): Result {
  const draft = state.draft!;
  const next: CitizenState = { ...state, step: 'classifying' };
  return done(next, [], [{ type: 'classify', text: draft.description ?? '', location: draft.locationText, privacy: draft.privacy }]);
}

function afterField(state: CitizenState, ctx: FlowContext, draft: IntakeDraft, nextStep: CitizenStep, prefix: Reply[] = []): Result {
  if (draft.editing) {
    const next: CitizenState = { ...state, draft: { ...draft, editing: false }, step: 'confirm' };
    // Location and photo do not change the classification; only the description does.
    if (!draft.classification) return { ...classify(next), replies: prefix };
    return done(next, [...prefix, summary(next, ctx)]);
  }
  const next: CitizenState = { ...state, draft, step: nextStep };
  return done(next, [...prefix, ...promptFor(next, ctx)]);
}

function photosOf(message: InboundMessage) {
  return (message.attachments ?? []).filter((a) => a.kind === 'photo');
}

function locationOf(message: InboundMessage) {
  return (message.attachments ?? []).find((a) => a.kind === 'location');
}

function addPhotos(state: CitizenState, message: InboundMessage): { draft: IntakeDraft; replies: Reply[] } {
  const draft = { ...(state.draft ?? newDraft()) };
  const incoming = photosOf(message);
  const room = Math.max(0, MAX_PHOTOS - draft.photos.length);
  draft.photos = [...draft.photos, ...incoming.slice(0, room)];
  // One sentence either way: how many are kept, and (only when it happened) that the rest were not.
  const key: TextKey = incoming.length > room ? (room === 0 ? 'photoLimitReached' : 'photoLimit') : 'photoReceived';
  return { draft, replies: [{ text: t(state.lang, key, { count: draft.photos.length, max: MAX_PHOTOS }) }] };
}

/** Handles "cek <id>" / "/status <id>" wherever it appears; returns undefined when the text is not that. */
function statusCommand(text: string): { trackingId: string | null } | undefined {
  const m = /^\s*(?:\/status|\/cek|cek|check|status|lacak|track)(?:@\w+)?\s+(?:(?:laporan|nomor|no|report|number)\s+)?(\S+)\s*$/i.exec(text);
  if (!m) return undefined;
  const arg = m[1];
  // "cek status", "cek laporan": words, not a tracking id. An id has its prefix, a digit, or was typed in capitals.
  const looksLikeId = /^#?lpr/i.test(arg) || /\d/.test(arg) || (arg === arg.toUpperCase() && /[A-Z]/.test(arg));
  if (!looksLikeId) return undefined;
  return { trackingId: parseTrackingId(arg) };
}

function languageCommand(text: string): Language | undefined {
  const m = /^\s*\/lang(?:@\w+)?\s*(\w+)?\s*$/i.exec(text);
  if (m) return m[1]?.toLowerCase() === 'id' ? 'id' : m[1]?.toLowerCase() === 'en' ? 'en' : undefined;
  const core = coreWords(text);
  if (ENGLISH_WORDS.includes(core)) return 'en';
  if (INDONESIAN_WORDS.includes(core)) return 'id';
  return undefined;
}

function startCommand(text: string): { payload?: string } | undefined {
  const m = /^\s*\/start(?:@\w+)?(?:\s+(\S+))?\s*$/i.exec(text);
  if (!m) return undefined;
  return { payload: m[1] };
}

/** Deep-link payloads: "place-<CODE>" or just the place code. */
function placeFromPayload(payload: string | undefined, ctx: FlowContext): string | undefined {
  if (!payload) return undefined;
  const code = payload.replace(/^(place|p|lokasi)[-_]/i, '');
  return findPlace(ctx.profile, code)?.code;
}

function withPrompt(state: CitizenState, ctx: FlowContext, first: Reply[]): Result {
  return done(state, [...first, ...promptFor(state, ctx)]);
}

/** Whether the conversation comes back to a draft after a restart or a long silence. */
function isResuming(state: CitizenState, ctx: FlowContext): boolean {
  if (!REPORT_STEPS.includes(state.step) || !state.draft) return false;
  if (ctx.resumed) return true;
  if (!state.lastAt) return false;
  return ctx.now.getTime() - Date.parse(state.lastAt) > LONG_SILENCE_MS;
}

/** "Kita lanjutkan laporan Anda soal sampah: “Sampah menumpuk di …”." */
function reminder(state: CitizenState): Reply {
  const lang = state.lang;
  const description = state.draft?.description ?? state.draft?.lead;
  if (!description) return { text: t(lang, 'continueDraft') };
  const quote = description.length > REMINDER_QUOTE_CHARS ? `${description.slice(0, REMINDER_QUOTE_CHARS - 1).trimEnd()}…` : description;
  return { text: t(lang, 'continueDraftAbout', { quote }) };
}

/** The citizen flow's answer to a greeting, salam or thanks that came alone. */
function smallTalkReply(lang: Language, talk: SmallTalk): Reply | undefined {
  if (talk.salam) return { text: t(lang, 'salamReply') };
  if (talk.thanks) return { text: t(lang, 'thanksReply') };
  if (talk.greeting) return { text: t(lang, 'greetingReply') };
  if (talk.closing) return { text: t(lang, 'closingReply') };
  return undefined;
}

/** The citizen intake flow: pure, (state, input, context) → (state, replies, effects). */
export function stepCitizen(state: CitizenState, input: FlowInput, ctx: FlowContext): Result {
  if (input.kind !== 'message') return onEvent(state, input, ctx);
  const result = onMessage(state, input.message, ctx);
  // Only a draft needs to know how long the citizen was away; a refused message changes nothing, not even this.
  if (result.state === state || !result.state.draft) return result.state.draft || !result.state.lastAt ? result : { ...result, state: withoutLastAt(result.state) };
  return { ...result, state: { ...result.state, lastAt: ctx.now.toISOString() } };
}

function withoutLastAt(state: CitizenState): CitizenState {
  const { lastAt: _lastAt, ...rest } = state;
  return rest;
}

function onMessage(state: CitizenState, message: InboundMessage, ctx: FlowContext): Result {
  const lang = state.lang;
  const text = (message.choice ?? message.text ?? '').trim();

  if (message.unsupported && !text && !message.attachments?.length) {
    return withPrompt(state, ctx, [{ text: t(lang, 'unsupported', { what: unsupportedName(lang, message.unsupported) }) }]);
  }
  if ((message.text ?? '').length > ctx.maxMessageLength) {
    return done(state, [{ text: t(lang, 'tooLong', { max: ctx.maxMessageLength }) }]);
  }
  if (!text && !message.attachments?.length) {
    return done(state, [{ text: t(lang, 'emptyMessage') }, ...promptFor(state, ctx)]);
  }

  // Commands that work at every step.
  if (text) {
    const commanded = onCommand(state, ctx, text);
    if (commanded) return commanded;
  }

  // Language: detected from what the citizen writes until they choose one themselves.
  let current = state;
  const effects: Effect[] = [];
  if (text && !state.langChosen && ['idle', 'menu', 'description'].includes(state.step)) {
    const detected = detectLanguage(text);
    if (detected && detected !== state.lang) {
      current = { ...state, lang: detected };
      effects.push({ type: 'setLanguage', lang: detected });
    }
  }
  const result = onAnswer(current, ctx, message, text);
  return { ...result, effects: [...effects, ...result.effects] };
}

/** Slash commands and the words that work anywhere (start, language, status, my reports, help, cancel, back). */
function onCommand(state: CitizenState, ctx: FlowContext, text: string): Result | undefined {
  const lang = state.lang;
  const start = startCommand(text);
  if (start) {
    const placeCode = placeFromPayload(start.payload, ctx);
    if (placeCode) return startReport({ ...state, draft: undefined }, ctx, { placeCode });
    const next: CitizenState = { ...state, step: 'menu', draft: undefined, cancelFrom: undefined };
    return done(next, [greeting(next, ctx)]);
  }
  // Bare /lang and /status come from Telegram's command menu: offer the choice, or ask for the number.
  if (/^\/lang(@\w+)?$/i.test(text)) {
    return done(state, [{ text: t(lang, 'chooseLanguage'), choices: [{ value: '/lang id', label: 'Bahasa Indonesia' }, { value: '/lang en', label: 'English' }] }]);
  }
  if (/^\/(status|cek)(@\w+)?$/i.test(text)) {
    if (state.step === 'idle' || state.step === 'menu' || state.step === 'status_id') {
      const next: CitizenState = { ...state, step: 'status_id' };
      return done(next, promptFor(next, ctx));
    }
    return withPrompt(state, ctx, [{ text: t(lang, 'statusUsage') }]);
  }
  const newLang = languageCommand(text);
  if (newLang) {
    const next: CitizenState = { ...state, lang: newLang, langChosen: true };
    const shown = next.step === 'idle' ? { ...next, step: 'menu' as const } : next;
    return done(next, [{ text: t(newLang, 'languageSet') }, ...promptFor(shown, ctx)], [{ type: 'setLanguage', lang: newLang }]);
  }
  const status = statusCommand(text);
  if (status) {
    if (!status.trackingId) return withPrompt(state, ctx, [{ text: t(lang, 'trackingIdInvalid') }]);
    const next = state.step === 'status_id' ? { ...state, step: 'idle' as const } : state;
    return done(next, [], [{ type: 'lookupCase', trackingId: status.trackingId }]);
  }
  // Menu words by name (not by number, which answers the step's own question) work in the middle of a report too.
  const menuWord = /\d/.test(text) || readNumber(text) !== undefined ? undefined : readMenuChoice(text);
  if (/^\/laporan(@\w+)?$/i.test(text) || menuWord === 'myCases') {
    const next = state.step === 'menu' || state.step === 'status_id' ? { ...state, step: 'idle' as const } : state;
    return done(next, [], [{ type: 'listMyCases' }]);
  }
  if (menuWord === 'status' && REPORT_STEPS.includes(state.step)) return withPrompt(state, ctx, [{ text: t(lang, 'statusUsage') }]);
  // Yes/no questions read "tidak jadi" as their "no", so batal and kembali wait until those steps had their turn.
  if (state.step === 'confirm_cancel' || state.step === 'location_outside') return undefined;
  const command = readStepCommand(text);
  if (command === 'cancel') return cancel(state, ctx);
  if (command === 'back') return goBack(state, ctx);
  if (command === 'help') {
    const shown = state.step === 'idle' ? { ...state, step: 'menu' as const } : state;
    return withPrompt(shown, ctx, [{ text: t(lang, 'help') }]);
  }
  if (text.startsWith('/')) return withPrompt(state, ctx, [{ text: t(lang, 'unknownCommand') }]);
  return undefined;
}

function cancel(state: CitizenState, ctx: FlowContext): Result {
  const lang = state.lang;
  if (!state.draft && (state.step === 'idle' || state.step === 'menu' || state.step === 'status_id')) {
    return done({ ...state, step: 'idle' }, [{ text: t(lang, 'nothingToCancel') }]);
  }
  if (draftHasContent(state.draft) && state.step !== 'filing' && state.step !== 'classifying') {
    const next: CitizenState = { ...state, step: 'confirm_cancel', cancelFrom: state.step };
    return done(next, promptFor(next, ctx));
  }
  const next: CitizenState = { ...state, step: 'idle', draft: undefined, cancelFrom: undefined };
  return done(next, [{ text: t(lang, 'cancelled') }, greeting(next, ctx)]);
}

/** "kembali": one step back, the earlier answer shown so it can be kept or changed. */
function goBack(state: CitizenState, ctx: FlowContext): Result {
  const lang = state.lang;
  const draft = state.draft;
  if (draft?.editing && ['description', 'location', 'location_area', 'location_outside', 'photo', 'privacy'].includes(state.step)) {
    const next: CitizenState = { ...state, draft: { ...draft, editing: false }, step: 'confirm' };
    return done(next, [summary(next, ctx)]);
  }
  const to = (step: CitizenStep, before: Reply[] = []): Result => {
    const next: CitizenState = { ...state, step };
    return done(next, [...before, ...promptFor(next, ctx)]);
  };
  switch (state.step) {
    case 'description':
      if (draftHasContent(draft)) return cancel(state, ctx);
      return done({ ...state, step: 'menu', draft: undefined }, [greeting({ ...state, step: 'menu' }, ctx)]);
    case 'location':
    case 'location_outside':
    case 'location_area':
      if (state.step !== 'location') return to('location');
      return to('description');
    case 'photo':
      return to('location');
    case 'privacy':
      return to('photo', draft && draft.photos.length > 0 ? [{ text: t(lang, 'backToPhoto', { count: draft.photos.length }) }] : []);
    case 'confirm':
      return to('privacy');
    case 'edit':
      return to('confirm');
    case 'status_id':
    case 'idle':
    case 'menu':
      return done({ ...state, step: 'menu' }, [greeting({ ...state, step: 'menu' }, ctx)]);
    default:
      return done(state, promptFor(state, ctx));
  }
}

/** The answer to the pending question, read by the step that asked it. */
function onAnswer(state: CitizenState, ctx: FlowContext, message: InboundMessage, rawText: string): Result {
  const lang = state.lang;
  const resuming = isResuming(state, ctx);
  // Greetings, salam and thanks are answered, and whatever followed them is the real answer.
  const talk = rawText ? readSmallTalk(rawText) : undefined;
  const before: Reply[] = [];
  let text = rawText;
  // "ok" and "sip" close a chat at the menu; in a report they answer the question.
  const atMenu = state.step === 'idle' || state.step === 'menu';
  if (talk && (talk.salam || talk.greeting || talk.thanks || (talk.closing && atMenu))) {
    if (talk.salam) before.push({ text: t(lang, 'salamReply') });
    if (talk.rest === '' && !message.attachments?.length) {
      const said = talk.salam ? [] : [smallTalkReply(lang, talk)!];
      if (state.step === 'idle' || state.step === 'menu') {
        if (talk.thanks || talk.closing) return done({ ...state, step: 'idle' }, [...before, ...said]);
        const next: CitizenState = { ...state, step: 'menu' };
        return done(next, [...before, greeting(next, ctx)]);
      }
      const remind = state.draft && (resuming || talk.greeting || talk.salam) ? [reminder(state)] : [];
      return done(state, [...before, ...said, ...remind, ...promptFor(state, ctx)]);
    }
    if (talk.rest !== '') text = talk.rest;
  }
  const result = onStep(state, ctx, message, text, rawText);
  // A resumed draft whose answer was not understood: say where we were before asking again.
  const notUnderstood =
    resuming && result.state.step === state.step && result.effects.length === 0 && JSON.stringify(result.state.draft) === JSON.stringify(state.draft);
  return withReplies(result, notUnderstood ? [...before, reminder(state)] : before);
}

function onStep(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string, rawText: string): Result {
  switch (state.step) {
    case 'idle':
    case 'menu':
      return onMenu(state, ctx, message, text, rawText);
    case 'description':
      return onDescription(state, ctx, message, text, rawText);
    case 'location':
      return onLocation(state, ctx, message, text);
    case 'location_outside':
      return onOutside(state, ctx, message, text);
    case 'location_area':
      return onArea(state, ctx, message, text);
    case 'photo':
      return onPhoto(state, ctx, message, text);
    case 'privacy':
      return onPrivacy(state, ctx, message, text);
    case 'classifying':
      // A message arrived while (or after a crash during) classification: run it again.
      return classify(state);
    case 'confirm':
      return onConfirm(state, ctx, message, text);
    case 'edit':
      return onEdit(state, ctx, text);
    case 'filing':
      return done(state, [], [{ type: 'fileCase', intakeKey: intakeKey(ctx, state), draft: state.draft! }]);
    case 'status_id': {
      const trackingId = parseTrackingId(text.replace(/^(?:nomor|no|nomer)\s*[:.]?\s*/i, ''));
      if (trackingId) return done({ ...state, step: 'idle' }, [], [{ type: 'lookupCase', trackingId }]);
      const choice = readMenuChoice(text);
      if (choice === 'report' || readOpening(text).announces) return startReport({ ...state, step: 'menu' }, ctx);
      return done(state, reaskFor(state, ctx));
    }
    case 'confirm_cancel':
      return onConfirmCancel(state, ctx, text);
  }
}

function intakeKey(ctx: FlowContext, state: CitizenState): string {
  return `${ctx.conversationKey}#${state.draftSeq}`;
}

/** "(kode tempat: PKM-ARJUNO)", the sentence a WhatsApp QR code types for the citizen. */
function placeFromText(text: string, ctx: FlowContext): string | undefined {
  const m = /\bkode\s+tempat\s*:?\s*([A-Za-z0-9-]+)/i.exec(text);
  return m ? findPlace(ctx.profile, m[1])?.code : undefined;
}

function onMenu(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string, rawText: string): Result {
  const lang = state.lang;
  const placeCode = placeFromText(rawText, ctx);
  if (placeCode) return startReport(state, ctx, { placeCode });
  const pin = locationOf(message);
  if (pin) {
    // A location shared at the menu starts a report at that place.
    const started = startReport(state, ctx);
    const located = placePin(started.state, ctx, started.state.draft!, pin.latitude, pin.longitude, pin.label);
    const draft = photosOf(message).length ? addPhotos({ ...started.state, draft: located.draft }, message).draft : located.draft;
    const next: CitizenState = { ...started.state, draft };
    if (located.outside) return done({ ...next, step: 'location_outside' }, [...located.replies, ...promptFor({ ...next, step: 'location_outside' }, ctx)]);
    return done(next, [...located.replies, { text: t(lang, 'askDescriptionAfterPlace') }]);
  }
  if (text) {
    const choice = readMenuChoice(text);
    if (choice === 'report') return startReport(state, ctx);
    if (choice === 'status') {
      const next: CitizenState = { ...state, step: 'status_id' };
      return done(next, promptFor(next, ctx));
    }
    if (choice === 'myCases') return done({ ...state, step: 'idle' }, [], [{ type: 'listMyCases' }]);
    if (choice === 'help') return withPrompt({ ...state, step: 'menu' }, ctx, [{ text: t(lang, 'help') }]);
  }
  const opening = text ? readOpening(text) : undefined;
  if (opening?.announces && opening.content === '' && !photosOf(message).length) {
    if (opening.question) return startReport(state, ctx, { prefix: [{ text: t(lang, 'askQuestion') }], ask: false });
    return startReport(state, ctx, { prefix: [{ text: t(lang, 'openingAck') }] });
  }
  // The complaint itself: the LLM may read it first (description, place, kind) when one is configured.
  const complaint = opening?.announces ? opening.content : text;
  if (complaint && looksLikeComplaint(complaint, ctx)) {
    if (ctx.llmReads && complaint.length >= LLM_READ_MIN_CHARS && !photosOf(message).length) {
      return done(state, [], [{ type: 'readMessage', text: rawText }]);
    }
    const result = startReport(state, ctx, { description: complaintText(rawText, text) });
    if (photosOf(message).length && result.state.draft) {
      const { draft } = addPhotos(result.state, message);
      return { ...result, state: { ...result.state, draft } };
    }
    return result;
  }
  if (complaint && hasLetters(complaint) && (opening?.announces || hasTopic(ctx.profile, complaint))) {
    // "mau lapor sampah", or just "banjir": the topic is known, the story not yet.
    return startReport(state, ctx, { lead: complaint });
  }
  if (photosOf(message).length) {
    // A photo first (with no caption, or one too short to be the complaint): keep it and ask what it shows.
    const started = startReport(state, ctx);
    const { draft, replies } = addPhotos(started.state, message);
    return done({ ...started.state, draft }, [...replies, ...started.replies]);
  }
  if (state.step === 'menu') return done(state, reaskFor(state, ctx));
  const next: CitizenState = { ...state, step: 'menu' };
  return done(next, [greeting(next, ctx)]);
}

/** The complaint as filed: the citizen's words after a salam or greeting, which the admin does not need. */
function complaintText(rawText: string, afterGreeting: string): string {
  return afterGreeting.length >= MIN_DESCRIPTION_CHARS ? afterGreeting : rawText.trim();
}

function onDescription(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string, rawText: string): Result {
  const lang = state.lang;
  const pin = locationOf(message);
  if (pin && state.draft) {
    const located = placePin(state, ctx, state.draft, pin.latitude, pin.longitude, pin.label);
    const next: CitizenState = { ...state, draft: located.draft };
    return done(next, [...located.replies, { text: t(lang, 'askDescriptionAfterPlace') }]);
  }
  if (!text && photosOf(message).length) {
    const { draft, replies } = addPhotos(state, message);
    return done({ ...state, draft }, [...replies, { text: t(lang, 'askDescription') }]);
  }
  // "lanjut" after going back keeps the description there was.
  if (state.draft?.description && readStepCommand(text) === 'skip') {
    return afterField(state, ctx, state.draft, 'location');
  }
  const opening = readOpening(text);
  if (opening.announces && opening.content === '') return done(state, [{ text: t(lang, 'descriptionReask') }]);
  if (readYesNo(text) !== undefined && !state.draft?.lead) return done(state, [{ text: t(lang, 'descriptionReask') }]);
  const result = acceptDescription(state, ctx, complaintText(rawText, text));
  if (photosOf(message).length && result.state.draft) {
    const { draft } = addPhotos(result.state, message);
    return { ...result, state: { ...result.state, draft } };
  }
  return result;
}

interface PinPlacement {
  draft: IntakeDraft;
  replies: Reply[];
  /** The pin is outside the city: the caller asks before going on. */
  outside: boolean;
  /** No boundary file: the caller asks for the kelurahan. */
  askArea: boolean;
}

/** A shared pin: kelurahan and kecamatan from the boundary file, or a question when there is none. */
function placePin(state: CitizenState, ctx: FlowContext, base: IntakeDraft, latitude: number, longitude: number, label?: string): PinPlacement {
  const lang = state.lang;
  // + 0 turns -0 into 0: the state is stored as JSON, which has no -0.
  const draft: IntakeDraft = { ...base, latitude: latitude + 0, longitude: longitude + 0, placeCode: undefined, outside: undefined, locationText: label };
  // A pin's venue name ("Politeknik Negeri Malang") may name a landmark or an area the profile knows.
  const fromLabel = label ? placeSignals(ctx.profile, label) : undefined;
  draft.kelurahan = fromLabel?.kelurahan;
  draft.kecamatan = fromLabel?.kecamatan;
  if (!ctx.boundary) {
    if (draft.kelurahan) return { draft, replies: [{ text: t(lang, 'locationRecognized', { area: areaLabel(draft) }) }], outside: false, askArea: false };
    // A bare pin says nothing a person can read: ask for the kelurahan. A venue or address with it is kept as it is.
    return { draft, replies: [], outside: false, askArea: !label };
  }
  const where = ctx.boundary.locate(latitude, longitude);
  if (where.inside) {
    draft.kelurahan = where.kelurahan;
    draft.kecamatan = where.kecamatan;
    return { draft, replies: [{ text: t(lang, 'locationRecognized', { area: areaLabel(draft) }) }], outside: false, askArea: false };
  }
  const desa = where.desa ? [`Desa ${where.desa}`, where.kecamatan ? `Kec. ${where.kecamatan}` : undefined].filter(Boolean).join(', ') : undefined;
  draft.outside = desa ?? '';
  return { draft, replies: [], outside: true, askArea: false };
}

function onLocation(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  const pin = locationOf(message);
  let draft: IntakeDraft = { ...(state.draft ?? newDraft()) };
  const prefix: Reply[] = [];
  if (photosOf(message).length) {
    const added = addPhotos(state, message);
    draft.photos = added.draft.photos;
    prefix.push(...added.replies);
  }
  const coordinates = pin ?? (text ? readCoordinates(text) : undefined);
  if (coordinates) {
    // Typed coordinates are no more readable than a pin; words with them ("-7.95, 112.61 depan masjid") are kept.
    const label = pin ? pin.label : hasLetters(text.replace(/https?:\/\/\S+/g, '')) ? text : undefined;
    const placed = placePin(state, ctx, draft, coordinates.latitude, coordinates.longitude, label);
    draft = placed.draft;
    if (pin && text && text.length >= 3) draft.locationText = draft.locationText ? `${draft.locationText} (${text})` : text;
    if (placed.outside) return done({ ...state, draft, step: 'location_outside' }, [...prefix, ...promptFor({ ...state, draft, step: 'location_outside' }, ctx)]);
    if (placed.askArea) return done({ ...state, draft, step: 'location_area' }, [...prefix, ...promptFor({ ...state, draft, step: 'location_area' }, ctx)]);
    return afterField(state, ctx, draft, 'photo', [...prefix, ...placed.replies]);
  }
  if (!text) return done({ ...state, draft }, [...prefix, ...promptFor({ ...state, draft }, ctx)]);
  // A place already there (a QR code's, or the earlier answer after "kembali") stays unless a new one is given.
  const yesNo = readYesNo(text);
  const command = readStepCommand(text);
  if (hasLocation(draft) && (yesNo === 'yes' || command === 'skip')) return afterField(state, ctx, draft, 'photo', prefix);
  // A question without a place needs no photo either.
  if (isQuestion(draft) && (command === 'skip' || yesNo === 'no')) return afterField(state, ctx, draft, 'privacy', prefix);
  if (command === 'skip' || yesNo !== undefined) return done({ ...state, draft }, [...prefix, ...reaskFor(state, ctx)]);
  const answer = readPlaceAnswer(ctx.profile, text);
  switch (answer.kind) {
    case 'filler':
    case 'unclear':
      return done({ ...state, draft }, [...prefix, ...reaskFor(state, ctx)]);
    case 'continuation': {
      // More of the complaint ("udah lama bgt"): it belongs to the description, and the place is still to come.
      const description = draft.description ? joinDescription(draft.description, text) : text;
      const next: CitizenState = { ...state, draft: { ...draft, description, classification: undefined } };
      return done(next, [...prefix, { text: t(lang, 'continuationAdded') }]);
    }
    case 'place': {
      const { kind: _kind, text: placeText, specific: _specific, ...match } = answer;
      draft = withPlace(draft, placeText, match);
      if (match.outside) {
        const next: CitizenState = { ...state, draft, step: 'location_outside' };
        return done(next, [...prefix, ...promptFor(next, ctx)]);
      }
      if (draft.kelurahan || draft.kecamatan) {
        const label = match.landmark && !match.placeCode ? `${match.landmark}, ${areaLabel(draft)}` : areaLabel(draft);
        prefix.push({ text: t(lang, 'locationRecognized', { area: label }) });
      }
      return afterField(state, ctx, draft, 'photo', prefix);
    }
  }
}

function onOutside(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  const draft = state.draft ?? newDraft();
  if (locationOf(message)) return onLocation({ ...state, step: 'location' }, ctx, message, text);
  const yesNo = readYesNo(text);
  if (yesNo === 'yes') return afterField(state, ctx, draft, 'photo');
  const command = readStepCommand(text);
  if (yesNo === 'no' || command === 'back') {
    const cleared: IntakeDraft = { ...draft, locationText: undefined, latitude: undefined, longitude: undefined, kelurahan: undefined, kecamatan: undefined, placeCode: undefined, outside: undefined };
    const next: CitizenState = { ...state, draft: cleared, step: 'location' };
    return done(next, [{ text: t(lang, 'askLocationAgain') }]);
  }
  if (command === 'cancel') return cancel(state, ctx);
  if (command === 'help') return withPrompt(state, ctx, [{ text: t(lang, 'help') }]);
  // Another place instead of an answer: read it as the location.
  const answer = text ? readPlaceAnswer(ctx.profile, text) : undefined;
  if (answer?.kind === 'place' && answer.specific) return onLocation({ ...state, step: 'location' }, ctx, message, text);
  return done(state, reaskFor(state, ctx));
}

function onArea(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  const draft = { ...(state.draft ?? newDraft()) };
  if (locationOf(message)) return onLocation({ ...state, step: 'location' }, ctx, message, text);
  // A photo instead of the kelurahan: the citizen moved on, and the photo answers the next question.
  if (photosOf(message).length && !text) return onPhoto({ ...state, step: 'photo' }, ctx, message, text);
  if (readStepCommand(text) === 'skip' || readYesNo(text) === 'no') return afterField(state, ctx, draft, 'photo');
  const area = recognizeArea(ctx.profile, text);
  if (area.kelurahan || area.kecamatan) {
    draft.kelurahan = area.kelurahan;
    draft.kecamatan = area.kecamatan;
    draft.locationText = draft.locationText ? `${draft.locationText}, ${text}` : text;
    return afterField(state, ctx, draft, 'photo', [{ text: t(lang, 'locationRecognized', { area: areaLabel(area) }) }]);
  }
  const answer = readPlaceAnswer(ctx.profile, text);
  if (answer.kind === 'place') {
    // Not a kelurahan name, but words about the place ("dekat masjid al-ikhlas"): kept for the admin.
    draft.locationText = draft.locationText ? `${draft.locationText}, ${text}` : text;
    draft.kelurahan = answer.kelurahan ?? draft.kelurahan;
    draft.kecamatan = answer.kecamatan ?? draft.kecamatan;
    return afterField(state, ctx, draft, 'photo');
  }
  return done(state, reaskFor(state, ctx));
}

function onPhoto(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  if (photosOf(message).length) {
    const { draft, replies } = addPhotos(state, message);
    return afterField(state, ctx, draft, 'privacy', replies);
  }
  if (readStepCommand(text) === 'skip' || readYesNo(text) === 'no') return afterField(state, ctx, state.draft ?? newDraft(), 'privacy');
  // The place given (again, or more exactly) while the photo is asked: the location is updated, the photo asked again.
  const pin = locationOf(message);
  const answer = text && !pin ? readPlaceAnswer(ctx.profile, text) : undefined;
  if (pin || (answer?.kind === 'place' && answer.specific)) {
    const moved = onLocation({ ...state, step: 'location' }, ctx, message, text);
    if (moved.state.step !== 'photo') return moved;
    const label = moved.state.draft ? locationLabel(moved.state.draft) : undefined;
    return done(moved.state, [{ text: t(lang, 'locationUpdated', { place: label ?? text }) }, ...promptFor(moved.state, ctx)]);
  }
  return done(state, reaskFor(state, ctx));
}

function onPrivacy(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  if (photosOf(message).length) {
    // A second photo sent right after the first still belongs to the report.
    const { draft, replies } = addPhotos(state, message);
    return done({ ...state, draft }, [...replies, ...promptFor(state, ctx)]);
  }
  const privacy = readPrivacy(text);
  if (!privacy) return done(state, reaskFor(state, ctx));
  const draft: IntakeDraft = { ...(state.draft ?? newDraft()), privacy };
  if (draft.editing) return afterField(state, ctx, draft, 'confirm');
  return classify({ ...state, draft });
}

function onConfirm(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  if (photosOf(message).length) {
    const { draft, replies } = addPhotos(state, message);
    const next = { ...state, draft };
    return done(next, [...replies, summary(next, ctx)]);
  }
  const yesNo = readYesNo(text);
  if (yesNo === 'yes') {
    const next: CitizenState = { ...state, step: 'filing' };
    return done(next, [], [{ type: 'fileCase', intakeKey: intakeKey(ctx, state), draft: state.draft! }]);
  }
  if (isOneOf(text, EDIT_WORDS) || coreWords(text) === 'ubah' || yesNo === 'no') {
    const next: CitizenState = { ...state, step: 'edit' };
    return done(next, yesNo === 'no' ? [{ text: t(lang, 'notSentYet') }, ...promptFor(next, ctx)] : promptFor(next, ctx));
  }
  return done(state, reaskFor(state, ctx));
}

function onEdit(state: CitizenState, ctx: FlowContext, text: string): Result {
  const w = coreWords(text);
  const draft: IntakeDraft = { ...(state.draft ?? newDraft()), editing: true };
  const go = (step: CitizenStep) => {
    const next: CitizenState = { ...state, draft, step };
    return done(next, promptFor(next, ctx));
  };
  const n = readNumber(text);
  if (n === 1 || ['uraian', 'deskripsi', 'cerita', 'description', 'isi', 'isinya', 'keterangan', 'masalah', 'text'].includes(w)) return go('description');
  if (n === 2 || ['lokasi', 'alamat', 'location', 'address', 'tempat', 'place', 'lokasinya', 'alamatnya'].includes(w)) return go('location');
  if (n === 3 || ['foto', 'gambar', 'photo', 'picture', 'fotonya', 'photos'].includes(w)) {
    draft.photos = [];
    return go('photo');
  }
  if (n === 4 || ['kerahasiaan', 'privasi', 'privacy', 'rahasia', 'anonim'].includes(w)) return go('privacy');
  if (readYesNo(text) === 'yes' || readYesNo(text) === 'no') return done({ ...state, step: 'confirm' }, [summary({ ...state, step: 'confirm' }, ctx)]);
  return done(state, reaskFor(state, ctx));
}

function onConfirmCancel(state: CitizenState, ctx: FlowContext, text: string): Result {
  const lang = state.lang;
  const yesNo = readYesNo(text);
  const command = readStepCommand(text);
  if (yesNo === 'yes' || command === 'cancel') {
    const next: CitizenState = { ...state, step: 'idle', draft: undefined, cancelFrom: undefined };
    return done(next, [{ text: t(lang, 'cancelled') }, greeting(next, ctx)]);
  }
  if (yesNo === 'no' || command === 'back') {
    const next: CitizenState = { ...state, step: state.cancelFrom ?? 'description', cancelFrom: undefined };
    return done(next, [{ text: t(lang, 'cancelKept') }, ...promptFor(next, ctx)]);
  }
  return done(state, reaskFor(state, ctx));
}

function applyReading(state: CitizenState, ctx: FlowContext, text: string, reading: MessageReading | null): Result {
  // On any failure, or when the model saw no report, the offline path answers as if the LLM were not there.
  const offline = (): Result => {
    const message: InboundMessage = { key: ctx.conversationKey, channel: 'term', messageId: '', sender: { id: '' }, text };
    return onMenu(state, { ...ctx, llmReads: false }, message, readSmallTalk(text).rest || text, text);
  };
  if (!reading || !reading.isReport || !reading.description || reading.description.trim().length < MIN_DESCRIPTION_CHARS) return offline();
  const lang = reading.language && !state.langChosen ? reading.language : state.lang;
  const base: CitizenState = { ...state, lang };
  const started = startReport(base, ctx);
  let draft = started.state.draft!;
  const replies: Reply[] = [];
  const description = reading.description.trim();
  const topic = guessTopic(ctx.profile, description, lang);
  if (topic) replies.push({ text: t(lang, 'topicAck', { topic }) });
  draft = { ...draft, description };
  if (reading.place && reading.place.trim().length >= 3) {
    const signals = placeSignals(ctx.profile, reading.place);
    const { any: _any, specific: _specific, ...match } = signals;
    draft = withPlace(draft, reading.place.trim(), match);
    if (match.outside) {
      const next: CitizenState = { ...started.state, draft, step: 'location_outside' };
      return done(next, [...replies, ...promptFor(next, ctx)]);
    }
    replies.push({ text: t(lang, 'locationNoted', { place: locationLabel(draft) ?? reading.place }) });
    const next: CitizenState = { ...started.state, draft, step: 'photo' };
    return done(next, [...replies, ...promptFor(next, ctx)]);
  }
  const next: CitizenState = { ...started.state, draft, step: 'location' };
  return done(next, [...replies, ...promptFor(next, ctx)]);
}

function onEvent(state: CitizenState, event: Exclude<FlowInput, { kind: 'message' }>, ctx: FlowContext): Result {
  const lang = state.lang;
  switch (event.kind) {
    case 'messageRead': {
      const result = applyReading(state, ctx, event.text, event.reading);
      const effects = result.state.lang !== state.lang ? [{ type: 'setLanguage' as const, lang: result.state.lang }, ...result.effects] : result.effects;
      return { ...result, effects };
    }
    case 'classified': {
      if (!state.draft) return done(state);
      const next: CitizenState = { ...state, step: 'confirm', draft: { ...state.draft, classification: event.classification } };
      return done(next, [summary(next, ctx)]);
    }
    case 'filed': {
      const next: CitizenState = { ...state, step: 'idle', draft: undefined };
      return done(next, [{ text: t(lang, 'filed', { trackingId: event.trackingId }), caseRef: event.trackingId }]);
    }
    case 'fileFailed':
      return done({ ...state, step: 'confirm' }, [{ text: t(lang, 'fileFailed'), choices: confirmChoices(lang) }]);
    case 'caseFound': {
      const replies: Reply[] = [];
      if (!event.view) replies.push({ text: t(lang, 'caseNotFound', { trackingId: event.trackingId }) });
      else {
        const v = event.view;
        const history = v.events.map((e) => `• ${formatLocalTime(e.at, ctx.profile.timezone)} ${STATUS_LABELS[lang][e.toStatus ?? ''] ?? e.action}${e.note ? `: ${e.note}` : ''}`);
        replies.push({
          text: [
            t(lang, 'caseStatusTitle', { trackingId: v.trackingId }),
            t(lang, 'caseStatusLine', { status: STATUS_LABELS[lang][v.status] ?? v.status }),
            `${REPORT_KIND_LABELS[lang][v.reportKind] ?? v.reportKind}${v.categoryName ? ` · ${v.categoryName}` : ''}`,
            v.opdName ? `${t(lang, 'summaryOpd')}: ${v.opdName}` : undefined,
            `${t(lang, 'summaryDescription')}: ${v.description}`,
            v.locationText ? `${t(lang, 'summaryLocation')}: ${v.locationText}` : undefined,
            history.length ? `${t(lang, 'caseHistory')}\n${history.join('\n')}` : undefined,
          ]
            .filter((x) => x !== undefined)
            .join('\n'),
          caseRef: v.trackingId,
        });
      }
      return state.step === 'idle' || state.step === 'menu' ? done(state, replies) : withPrompt(state, ctx, replies);
    }
    case 'myCases': {
      const replies: Reply[] = [];
      if (event.cases.length === 0) replies.push({ text: t(lang, 'myCasesEmpty') });
      else
        replies.push({
          text: [
            t(lang, 'myCasesTitle'),
            ...event.cases.map(
              (c) =>
                `• ${c.trackingId} (${formatLocalTime(c.submittedAt, ctx.profile.timezone).slice(0, 10)}) ${STATUS_LABELS[lang][c.status] ?? c.status}: ${c.description.length > 60 ? `${c.description.slice(0, 57)}…` : c.description}`,
            ),
          ].join('\n'),
        });
      return state.step === 'idle' || state.step === 'menu' ? done(state, replies) : withPrompt(state, ctx, replies);
    }
  }
}
