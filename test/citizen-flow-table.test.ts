import { describe, expect, it } from 'vitest';
import { initialCitizenState, stepCitizen } from '../flows/citizen/citizen-flow.ts';
import type { CitizenState, FlowContext, InboundMessage } from '../flows/types.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { KeywordClassifier } from '../nlp/keyword-classifier.ts';

/**
 * The same kind of messages as test/nlp-understanding.test.ts, each sent at the step where it arrives, with the
 * step the conversation must be at afterwards (and what the draft must hold). Pure flow, no database.
 */
const profile = loadCityProfile('malang');
const keyword = new KeywordClassifier(profile);
const ctx: FlowContext = { profile, maxMessageLength: 4000, conversationKey: 'term:table', now: new Date('2026-11-30T03:00:00Z') };
const msg = (text: string): InboundMessage => ({ key: 'term:table', channel: 'term', messageId: text, sender: { id: 't' }, text });

function send(state: CitizenState, text: string): { state: CitizenState; text: string } {
  let result = stepCitizen(state, { kind: 'message', message: msg(text) }, ctx);
  const replies = [...result.replies];
  for (const effect of result.effects) {
    if (effect.type !== 'classify') continue;
    result = stepCitizen(result.state, { kind: 'classified', classification: keyword.classifySync({ text: effect.text }) }, ctx);
    replies.push(...result.replies);
  }
  return { state: result.state, text: replies.map((r) => r.text).join('\n') };
}

function at(path: string[]): CitizenState {
  let state = initialCitizenState();
  for (const text of path) state = send(state, text).state;
  return state;
}

const TO = {
  menu: ['halo'],
  description: ['halo', '1'],
  location: ['Lampu penerangan jalan di gang kami mati sejak tiga hari lalu'],
  photo: ['Lampu penerangan jalan di gang kami mati sejak tiga hari lalu', 'Jl. Kalpataru 5, Jatimulyo'],
  privacy: ['Lampu penerangan jalan di gang kami mati sejak tiga hari lalu', 'Jl. Kalpataru 5, Jatimulyo', 'lewati'],
  confirm: ['Lampu penerangan jalan di gang kami mati sejak tiga hari lalu', 'Jl. Kalpataru 5, Jatimulyo', 'lewati', '1'],
} as const;

describe.each([
  ['menu', 'satu', 'description'],
  ['menu', 'buat laporan', 'description'],
  ['menu', 'mau lapor min', 'description'],
  ['menu', 'ada keluhan', 'description'],
  ['menu', 'cek status', 'status_id'],
  ['menu', 'yang kedua', 'status_id'],
  ['menu', 'sampah numpuk di depan gang', 'location'],
  ['menu', 'banjir', 'description'],
  ['menu', 'xyzzy', 'menu'],
  ['menu', 'makasih min', 'idle'],
  ['description', 'kembali', 'menu'],
  ['description', 'jalan depan rumah rusak parah, banyak lubang', 'location'],
  ['description', 'dalan e bolong-bolong dekat terminal hamid rusdi', 'photo'],
  ['description', 'iya', 'description'],
  ['description', 'mau lapor', 'description'],
  ['description', 'sampah', 'description'],
  ['location', 'udah lama bgt', 'location'],
  ['location', 'min', 'location'],
  ['location', 'lewati', 'location'],
  ['location', 'kembali', 'description'],
  ['location', 'hah? maksudnya gimana', 'location'],
  ['location', 'puskesmas janti', 'photo'],
  ['location', 'depan pasar besar', 'photo'],
  ['location', 'alun-alun tugu', 'photo'],
  ['location', 'dkt polinema', 'photo'],
  ['location', 'rt 3 rw 5 bunulrejo', 'photo'],
  ['location', 'Soekarno Hatta', 'photo'],
  ['location', 'Surabaya, jl. tunjungan', 'location_outside'],
  ['location', '-7.9553, 112.6145', 'location_area'],
  ['location', 'batal', 'confirm_cancel'],
  ['photo', 'lewati', 'privacy'],
  ['photo', 'gak ada foto', 'privacy'],
  ['photo', 'ga punya min', 'privacy'],
  ['photo', 'no photo', 'privacy'],
  ['photo', 'kembali', 'location'],
  ['photo', 'nanti dulu ya', 'photo'],
  ['photo', 'depan SDN Sumbersari 2', 'photo'],
  ['privacy', 'dua', 'confirm'],
  ['privacy', 'anonim aja min', 'confirm'],
  ['privacy', 'biasa aja', 'confirm'],
  ['privacy', 'rahasiakan nama saya', 'confirm'],
  ['privacy', '⭐⭐', 'confirm'],
  ['privacy', 'kembali', 'photo'],
  ['privacy', 'terserah', 'confirm'],
  ['privacy', 'hmm', 'privacy'],
  ['confirm', 'iya', 'filing'],
  ['confirm', 'yoi', 'filing'],
  ['confirm', 'nggih', 'filing'],
  ['confirm', 'kirim', 'filing'],
  ['confirm', 'ubah', 'edit'],
  ['confirm', 'gak', 'edit'],
  ['confirm', 'kembali', 'privacy'],
  ['confirm', 'batal', 'confirm_cancel'],
  ['confirm', 'mungkin', 'confirm'],
] as const)('at %s, "%s"', (step, text, next) => {
  it(`→ ${next}`, () => {
    const before = at([...TO[step]]);
    expect(before.step).toBe(step === 'menu' ? 'menu' : step);
    const after = send(before, text);
    expect(after.state.step).toBe(next);
    // Whatever the answer, the reply is short: never the whole menu in the middle of a report.
    if (step !== 'menu' && next !== 'menu') expect(after.text).not.toMatch(/Buat laporan/);
  });
});
