import { recognizeArea, findPlace, normalizeForMatch } from '../../lib/city-profile.ts';
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
  Privacy,
  Reply,
  StepResult,
} from '../types.ts';

export const MAX_PHOTOS = 5;
const MIN_DESCRIPTION_CHARS = 10;
/** A first message this long is taken as the complaint itself, with no menu in between. */
const DIRECT_REPORT_MIN_CHARS = 25;
const DIRECT_REPORT_MIN_WORDS = 4;

export function initialCitizenState(lang: Language = 'id'): CitizenState {
  return { lang, step: 'idle', draftSeq: 0 };
}

type Result = StepResult<CitizenState>;

const done = (state: CitizenState, replies: Reply[] = [], effects: Effect[] = []): Result => ({ state, replies, effects });

function words(text: string): string {
  return normalizeForMatch(text);
}

function isOneOf(text: string, options: string[]): boolean {
  const w = words(text);
  return options.includes(w);
}

const CANCEL_WORDS = ['batal', 'batalkan', 'cancel', 'stop laporan', 'gak jadi', 'ga jadi', 'tidak jadi', 'nggak jadi'];
const HELP_WORDS = ['bantuan', 'help', 'tolong bantu', 'panduan', 'cara pakai'];
const SKIP_WORDS = ['lewati', 'skip', 'lewat', 'tidak ada', 'tidak', 'gak ada', 'ga ada', 'nggak ada', 'tdk ada', 'no', 'none', 'enggak', 'ndak ada'];
const YES_WORDS = ['ya', 'y', 'yes', 'iya', 'iyah', 'yup', 'ok', 'oke', 'okay', 'kirim', 'send', 'setuju', 'benar', 'betul', 'sip', 'lanjut'];
const EDIT_WORDS = ['ubah', 'edit', 'ganti', 'revisi', 'change'];
const GREETING_WORDS = [
  'halo', 'hallo', 'hai', 'hi', 'hello', 'pagi', 'siang', 'sore', 'malam', 'selamat pagi', 'selamat siang', 'selamat sore',
  'selamat malam', 'assalamualaikum', 'assalamu alaikum', 'permisi', 'p', 'tes', 'test', 'menu', 'mulai', 'start', 'min', 'admin',
];
const MY_CASES_WORDS = ['laporan saya', 'laporanku', 'my reports', 'my report', 'daftar laporan'];
const REPORT_WORDS = ['buat laporan', 'lapor', 'laporan baru', 'melapor', 'mau lapor', 'file a report', 'report', 'new report', 'pengaduan'];
const STATUS_WORDS = ['cek status', 'cek', 'status', 'cek laporan', 'check', 'check status', 'check a report'];

const ENGLISH_WORDS = ['english', 'bahasa inggris', 'inggris', 'lang en', 'in english'];
const INDONESIAN_WORDS = ['bahasa indonesia', 'indonesia', 'indonesian', 'lang id'];

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

function greeting(state: CitizenState, ctx: FlowContext): Reply {
  return { text: t(state.lang, 'greeting', { city: ctx.profile.name }), choices: menuChoices(state.lang) };
}

function photoPrompt(lang: Language): Reply {
  return { text: t(lang, 'askPhoto'), choices: [lang === 'id' ? { value: 'lewati', label: 'Lewati' } : { value: 'skip', label: 'Skip' }] };
}

/** The question the citizen is expected to answer at a step; used after help, language change or bad input. */
export function promptFor(state: CitizenState, ctx: FlowContext): Reply[] {
  const lang = state.lang;
  switch (state.step) {
    case 'idle':
    case 'menu':
      return [greeting(state, ctx)];
    case 'description':
      return [{ text: t(lang, 'askDescription') }];
    case 'location': {
      const place = state.draft?.placeCode ? findPlace(ctx.profile, state.draft.placeCode) : undefined;
      if (place && state.draft?.locationText) return [{ text: t(lang, 'locationPrefilled', { place: state.draft.locationText }) }];
      return [{ text: t(lang, 'askLocation') }];
    }
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
  }
}

function summary(state: CitizenState, ctx: FlowContext): Reply {
  const lang = state.lang;
  const draft = state.draft ?? { photos: [] };
  const c = draft.classification;
  const category = c ? ctx.profile.categories.find((x) => x.code === c.categoryCode) : undefined;
  const opd = c ? ctx.profile.opds.find((x) => x.code === c.opdCode) : undefined;
  const location =
    draft.locationText ??
    (draft.latitude !== undefined ? `${draft.latitude.toFixed(5)}, ${draft.longitude?.toFixed(5)}` : '-');
  const area = [draft.kelurahan, draft.kecamatan].filter(Boolean).join(', ');
  const lines = [
    t(lang, 'summaryTitle'),
    `${t(lang, 'summaryKind')}: ${c ? REPORT_KIND_LABELS[lang][c.reportKind] : '-'}`,
    `${t(lang, 'summaryDescription')}: ${draft.description ?? '-'}`,
    `${t(lang, 'summaryLocation')}: ${location}${area && !draft.placeCode ? ` (${area})` : ''}`,
    `${t(lang, 'summaryPhotos')}: ${draft.photos.length > 0 ? draft.photos.length : t(lang, 'summaryNoPhoto')}`,
    `${t(lang, 'summaryPrivacy')}: ${draft.privacy ? PRIVACY_LABELS[lang][draft.privacy] : '-'}`,
    `${t(lang, 'summaryCategory')}: ${category?.name ?? '-'}`,
    `${t(lang, 'summaryOpd')}: ${opd ? `${opd.name} (${opd.code})` : '-'}`,
    '',
    t(lang, 'summaryQuestion'),
  ];
  return { text: lines.join('\n'), choices: confirmChoices(lang) };
}

/** Whether the text has any letter at all ("???" and "123" are not a description or a reason). */
export function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}

function looksLikeComplaint(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= DIRECT_REPORT_MIN_CHARS && trimmed.split(/\s+/).length >= DIRECT_REPORT_MIN_WORDS && hasLetters(trimmed);
}

function newDraft(): IntakeDraft {
  return { photos: [] };
}

function startReport(state: CitizenState, ctx: FlowContext, description?: string, placeCode?: string): Result {
  const draft = newDraft();
  const place = placeCode ? findPlace(ctx.profile, placeCode) : undefined;
  if (place) {
    draft.placeCode = place.code;
    draft.locationText = [place.name, place.address].filter(Boolean).join(', ');
    draft.kelurahan = place.kelurahan;
    draft.kecamatan = place.kecamatan;
  }
  const next: CitizenState = { ...state, draft, draftSeq: state.draftSeq + 1, step: 'description' };
  if (description === undefined) return done(next, promptFor(next, ctx));
  return acceptDescription(next, ctx, description);
}

function acceptDescription(state: CitizenState, ctx: FlowContext, text: string): Result {
  const lang = state.lang;
  const trimmed = text.trim();
  if (!hasLetters(trimmed)) return done(state, [{ text: t(lang, 'descriptionNoWords') }]);
  if (trimmed.length < MIN_DESCRIPTION_CHARS) return done(state, [{ text: t(lang, 'descriptionTooShort') }]);
  const draft: IntakeDraft = { ...(state.draft ?? newDraft()), description: trimmed, classification: undefined };
  if (draft.editing) return classify({ ...state, draft: { ...draft, editing: false } });
  const next: CitizenState = { ...state, draft, step: 'location' };
  return done(next, promptFor(next, ctx));
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
  const room = MAX_PHOTOS - draft.photos.length;
  draft.photos = [...draft.photos, ...incoming.slice(0, Math.max(0, room))];
  const replies: Reply[] = [{ text: t(state.lang, 'photoReceived', { count: draft.photos.length }) }];
  if (incoming.length > room) replies.push({ text: t(state.lang, 'photoLimit', { max: MAX_PHOTOS }) });
  return { draft, replies };
}

function parsePrivacy(text: string): Privacy | undefined {
  const w = words(text);
  if (['1', 'biasa', 'normal', 'umum', 'public', 'publik'].includes(w)) return 'biasa';
  if (['2', 'anonim', 'anonymous', 'anon', 'rahasiakan identitas', 'anonimus'].includes(w)) return 'anonim';
  if (['3', 'rahasia', 'confidential', 'private', 'secret'].includes(w)) return 'rahasia';
  return undefined;
}

/** Handles "cek <id>" / "/status <id>" wherever it appears; returns undefined when the text is not that. */
function statusCommand(text: string): { trackingId: string | null } | undefined {
  const m = /^\s*(?:\/status|\/cek|cek|check|status)(?:@\w+)?\s+(\S+)\s*$/i.exec(text);
  if (!m) return undefined;
  return { trackingId: parseTrackingId(m[1]) };
}

function languageCommand(text: string): Language | undefined {
  const m = /^\s*\/lang(?:@\w+)?\s*(\w+)?\s*$/i.exec(text);
  if (m) return m[1]?.toLowerCase() === 'id' ? 'id' : m[1]?.toLowerCase() === 'en' ? 'en' : undefined;
  if (isOneOf(text, ENGLISH_WORDS)) return 'en';
  if (isOneOf(text, INDONESIAN_WORDS)) return 'id';
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

/** The citizen intake flow: pure, (state, input, context) → (state, replies, effects). */
export function stepCitizen(state: CitizenState, input: FlowInput, ctx: FlowContext): Result {
  if (input.kind !== 'message') return onEvent(state, input, ctx);
  const message = input.message;
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
    const start = startCommand(text);
    if (start) {
      const placeCode = placeFromPayload(start.payload, ctx);
      if (placeCode) return startReport({ ...state, draft: undefined }, ctx, undefined, placeCode);
      const next: CitizenState = { ...state, step: 'menu', draft: undefined };
      return done(next, [greeting(next, ctx)]);
    }
    if (isOneOf(text, CANCEL_WORDS) || /^\/batal(@\w+)?$/i.test(text) || /^\/cancel(@\w+)?$/i.test(text)) {
      if (!state.draft && (state.step === 'idle' || state.step === 'menu')) return done({ ...state, step: 'idle' }, [{ text: t(lang, 'nothingToCancel') }]);
      const next: CitizenState = { ...state, step: 'idle', draft: undefined };
      return done(next, [{ text: t(lang, 'cancelled') }, greeting(next, ctx)]);
    }
    if (isOneOf(text, HELP_WORDS) || /^\/(help|bantuan)(@\w+)?$/i.test(text)) {
      const shown = state.step === 'idle' ? { ...state, step: 'menu' as const } : state;
      return withPrompt(shown, ctx, [{ text: t(lang, 'help') }]);
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
      const next = { ...state, lang: newLang };
      return done(next, [{ text: t(newLang, 'languageSet') }, ...promptFor(next.step === 'idle' ? { ...next, step: 'menu' } : next, ctx)], [
        { type: 'setLanguage', lang: newLang },
      ]);
    }
    const status = statusCommand(text);
    if (status) {
      if (!status.trackingId) return withPrompt(state, ctx, [{ text: t(lang, 'trackingIdInvalid') }]);
      const next = state.step === 'status_id' ? { ...state, step: 'idle' as const } : state;
      return done(next, [], [{ type: 'lookupCase', trackingId: status.trackingId }]);
    }
    if (isOneOf(text, MY_CASES_WORDS) || /^\/laporan(@\w+)?$/i.test(text)) {
      const next = state.step === 'menu' || state.step === 'status_id' ? { ...state, step: 'idle' as const } : state;
      return done(next, [], [{ type: 'listMyCases' }]);
    }
    if (text.startsWith('/')) {
      return withPrompt(state, ctx, [{ text: t(lang, 'unknownCommand') }]);
    }
  }

  switch (state.step) {
    case 'idle':
    case 'menu':
      return onMenu(state, ctx, message, text);
    case 'description': {
      if (!text && photosOf(message).length) {
        const { draft, replies } = addPhotos(state, message);
        return done({ ...state, draft }, [...replies, { text: t(lang, 'askDescription') }]);
      }
      const result = acceptDescription(state, ctx, text);
      if (photosOf(message).length && result.state.draft) {
        const { draft } = addPhotos(result.state, message);
        return { ...result, state: { ...result.state, draft } };
      }
      return result;
    }
    case 'location':
      return onLocation(state, ctx, message, text);
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
      const trackingId = parseTrackingId(text);
      if (!trackingId) return done(state, [{ text: t(lang, 'trackingIdInvalid') }]);
      return done({ ...state, step: 'idle' }, [], [{ type: 'lookupCase', trackingId }]);
    }
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

function onMenu(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  const w = words(text);
  const placeCode = placeFromText(text, ctx);
  if (placeCode) return startReport(state, ctx, undefined, placeCode);
  if (w === '1' || isOneOf(text, REPORT_WORDS)) return startReport(state, ctx);
  if (w === '2' || isOneOf(text, STATUS_WORDS)) {
    const next: CitizenState = { ...state, step: 'status_id' };
    return done(next, promptFor(next, ctx));
  }
  if (w === '3') return done({ ...state, step: 'idle' }, [], [{ type: 'listMyCases' }]);
  if (w === '4') return withPrompt({ ...state, step: 'menu' }, ctx, [{ text: t(lang, 'help') }]);
  if (text && looksLikeComplaint(text)) {
    const result = startReport(state, ctx, text);
    if (photosOf(message).length && result.state.draft) {
      const { draft } = addPhotos(result.state, message);
      return { ...result, state: { ...result.state, draft } };
    }
    return result;
  }
  if (photosOf(message).length) {
    // A photo first (with no caption, or one too short to be the complaint): keep it and ask what it shows.
    const started = startReport(state, ctx);
    const { draft, replies } = addPhotos(started.state, message);
    return done({ ...started.state, draft }, [...replies, ...started.replies]);
  }
  if (state.step === 'menu' && !isOneOf(text, GREETING_WORDS)) {
    return done(state, [{ text: t(lang, 'menuReask') }, greeting(state, ctx)]);
  }
  const next: CitizenState = { ...state, step: 'menu' };
  return done(next, [greeting(next, ctx)]);
}

function onLocation(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  const pin = locationOf(message);
  const draft: IntakeDraft = { ...(state.draft ?? newDraft()) };
  const prefix: Reply[] = [];
  if (photosOf(message).length) {
    const added = addPhotos(state, message);
    draft.photos = added.draft.photos;
    prefix.push(...added.replies);
  }
  if (pin) {
    draft.latitude = pin.latitude;
    draft.longitude = pin.longitude;
    if (pin.label) draft.locationText = pin.label;
    const area = recognizeArea(ctx.profile, `${pin.label ?? ''} ${text}`);
    draft.kelurahan = area.kelurahan ?? draft.kelurahan;
    draft.kecamatan = area.kecamatan ?? draft.kecamatan;
    if (text && text.length >= 3) draft.locationText = draft.locationText ? `${draft.locationText} (${text})` : text;
    return afterField(state, ctx, draft, 'photo', prefix);
  }
  if (draft.placeCode && draft.locationText && isOneOf(text, [...YES_WORDS, 'sudah', 'sudah benar', 'lanjut'])) {
    return afterField(state, ctx, draft, 'photo', prefix);
  }
  if (!text) return done({ ...state, draft }, [...prefix, ...promptFor({ ...state, draft }, ctx)]);
  if (!hasLetters(text) || text.length < 3) return done({ ...state, draft }, [...prefix, { text: t(lang, 'locationReask') }]);
  draft.locationText = text;
  draft.latitude = undefined;
  draft.longitude = undefined;
  const area = recognizeArea(ctx.profile, text);
  draft.kelurahan = area.kelurahan;
  draft.kecamatan = area.kecamatan;
  if (area.kelurahan || area.kecamatan) {
    const label = [area.kelurahan ? `Kel. ${area.kelurahan}` : undefined, area.kecamatan ? `Kec. ${area.kecamatan}` : undefined]
      .filter(Boolean)
      .join(', ');
    prefix.push({ text: t(lang, 'locationRecognized', { area: label }) });
  }
  return afterField(state, ctx, draft, 'photo', prefix);
}

function onPhoto(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  if (photosOf(message).length) {
    const { draft, replies } = addPhotos(state, message);
    return afterField(state, ctx, draft, 'privacy', replies);
  }
  if (isOneOf(text, SKIP_WORDS)) return afterField(state, ctx, state.draft ?? newDraft(), 'privacy');
  return done(state, [{ text: t(lang, 'photoReask'), choices: photoPrompt(lang).choices }]);
}

function onPrivacy(state: CitizenState, ctx: FlowContext, message: InboundMessage, text: string): Result {
  const lang = state.lang;
  if (photosOf(message).length) {
    // A second photo sent right after the first still belongs to the report.
    const { draft, replies } = addPhotos(state, message);
    return done({ ...state, draft }, [...replies, ...promptFor(state, ctx)]);
  }
  const privacy = parsePrivacy(text);
  if (!privacy) return done(state, [{ text: t(lang, 'privacyReask'), choices: privacyChoices(lang) }]);
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
  if (isOneOf(text, YES_WORDS)) {
    const next: CitizenState = { ...state, step: 'filing' };
    return done(next, [], [{ type: 'fileCase', intakeKey: intakeKey(ctx, state), draft: state.draft! }]);
  }
  if (isOneOf(text, EDIT_WORDS)) {
    const next: CitizenState = { ...state, step: 'edit' };
    return done(next, promptFor(next, ctx));
  }
  return done(state, [{ text: t(lang, 'confirmReask'), choices: confirmChoices(lang) }]);
}

function onEdit(state: CitizenState, ctx: FlowContext, text: string): Result {
  const lang = state.lang;
  const w = words(text);
  const draft: IntakeDraft = { ...(state.draft ?? newDraft()), editing: true };
  const go = (step: CitizenStep) => {
    const next: CitizenState = { ...state, draft, step };
    return done(next, promptFor(next, ctx));
  };
  if (w === '1' || ['uraian', 'deskripsi', 'cerita', 'description', 'isi'].includes(w)) return go('description');
  if (w === '2' || ['lokasi', 'alamat', 'location', 'address'].includes(w)) return go('location');
  if (w === '3' || ['foto', 'gambar', 'photo', 'picture'].includes(w)) {
    draft.photos = [];
    return go('photo');
  }
  if (w === '4' || ['kerahasiaan', 'privasi', 'privacy'].includes(w)) return go('privacy');
  return done(state, [{ text: t(lang, 'editReask'), choices: editChoices(lang) }]);
}

function onEvent(state: CitizenState, event: Exclude<FlowInput, { kind: 'message' }>, ctx: FlowContext): Result {
  const lang = state.lang;
  switch (event.kind) {
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
