import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialCitizenState, stepCitizen } from '../../../flows/citizen/citizen-flow.ts';
import { citizenStateSchema } from '../../../flows/citizen/citizen-state-schema.ts';
import { loadCityProfile } from '../../../lib/city-profile.ts';
import { REPORT_KINDS, type Classification } from '../../../nlp/classifier.ts';
import type { CitizenState, Effect, FlowContext, FlowEvent, FlowInput, InboundAttachment, InboundMessage, Reply } from '../../../flows/types.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

const profile = loadCityProfile('malang');
const COMPLAINT = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor';
/** Same cap as the engine's loop: effects feeding steps. */
const MAX_STEPS_PER_MESSAGE = 8;

/** Words the flow reacts to, so random sequences reach every step, mixed with arbitrary and hostile text. */
const meaningful = fc.constantFrom(
  '1', '2', '3', '4', 'ya', 'ubah', 'batal', 'lewati', 'bantuan', 'halo', 'menu', 'laporan saya', 'cek',
  'cek LPR-ABC234', '/status LPR-ZZZZZZ', 'LPR-K7Q2MX', '/start', '/start place-PKM-DINOYO', '/start KEL-SUMBERSARI',
  '/lang en', '/lang id', 'english', 'bahasa indonesia', '/batal', '/help', '/laporan', '/verifikasi LPR-ABC234',
  'anonim', 'rahasia', 'biasa', 'lokasi', 'foto', 'uraian', 'kerahasiaan', COMPLAINT, 'Jl. Sumbersari No. 10, Lowokwaru',
  'Kelurahan Dinoyo', "'; DROP TABLE \"Case\"; --", '', '   ', '\u0000', '\uD800', '\uFFFD', '🕳️🚧',
);
const hostileText = fc.oneof(
  { weight: 6, arbitrary: meaningful },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 30, maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(4001), 'y'.repeat(3999), `cek ${'A'.repeat(500)}`) },
);

const photo: fc.Arbitrary<InboundAttachment> = fc.record({
  kind: fc.constant('photo' as const),
  path: fc.stringMatching(/^media\/[a-z0-9]{1,12}\.jpg$/),
  mime: fc.constant('image/jpeg'),
  size: fc.nat({ max: 10_000_000 }),
});
/** Platforms send valid coordinates; labels are free text from the platform. */
const location: fc.Arbitrary<InboundAttachment> = fc.record(
  {
    kind: fc.constant('location' as const),
    latitude: fc.double({ min: -90, max: 90, noNaN: true }),
    longitude: fc.double({ min: -180, max: 180, noNaN: true }),
    label: hostileText,
  },
  { requiredKeys: ['kind', 'latitude', 'longitude'] },
);

/** One inbound message as an adapter could produce it. */
const inbound: fc.Arbitrary<Partial<InboundMessage>> = fc.oneof(
  { weight: 8, arbitrary: hostileText.map((text) => ({ text })) },
  { weight: 1, arbitrary: fc.constantFrom('1', '2', '3', 'ya', 'ubah', 'batal', 'lewati').map((choice) => ({ choice })) },
  { weight: 2, arbitrary: fc.record({ attachments: fc.array(photo, { minLength: 1, maxLength: 7 }), text: fc.option(hostileText, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ attachments: fc.tuple(location), text: fc.option(hostileText, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.constantFrom('sticker', 'voice', 'video', 'document').map((unsupported) => ({ unsupported })) },
);

const classification: fc.Arbitrary<Classification> = fc.record({
  reportKind: fc.constantFrom(...REPORT_KINDS),
  categoryCode: fc.constantFrom(...profile.categories.map((c) => c.code)),
  opdCode: fc.constantFrom(...profile.opds.map((o) => o.code)),
  confidence: fc.double({ min: 0, max: 1, noNaN: true }),
  reason: fc.string({ maxLength: 20 }),
  classifier: fc.constant('keyword'),
  latencyMs: fc.nat({ max: 5000 }),
});

/** A full intake, with edits; random sequences follow it most of the time so they reach confirm and filing. */
const HAPPY_PATH: Partial<InboundMessage>[] = [
  { text: COMPLAINT }, { text: 'Jl. Sumbersari No. 10, Lowokwaru' }, { text: 'lewati' }, { text: '2' }, { text: 'ubah' },
  { text: '2' }, { text: 'Kelurahan Dinoyo' }, { text: 'ya' }, { text: 'laporan saya' },
];

/** Sequences that mostly walk the happy path, with arbitrary inputs interleaved. */
function sequences<T>(extra: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<Array<[Partial<InboundMessage>, T]>> {
  return fc.array(fc.tuple(fc.nat(9), inbound, extra), { minLength: 1, maxLength }).map((items) => {
    let next = 0;
    return items.map(([dice, random, e]): [Partial<InboundMessage>, T] => [dice < 6 ? HAPPY_PATH[next++ % HAPPY_PATH.length] : random, e]);
  });
}

/** How the simulated edge answers each effect: success, failure, empty results, chosen by fast-check. */
const outcomes = fc.record({
  classification,
  fileFails: fc.boolean(),
  caseFound: fc.boolean(),
});

function simulate(effect: Effect, o: { classification: Classification; fileFails: boolean; caseFound: boolean }): FlowEvent | undefined {
  switch (effect.type) {
    case 'classify':
      return { kind: 'classified', classification: o.classification };
    case 'fileCase':
      return o.fileFails ? { kind: 'fileFailed' } : { kind: 'filed', trackingId: 'LPR-ABC234' };
    case 'lookupCase':
      return {
        kind: 'caseFound',
        trackingId: effect.trackingId,
        view: o.caseFound
          ? {
              trackingId: effect.trackingId,
              status: 'submitted',
              reportKind: 'pengaduan',
              description: COMPLAINT,
              submittedAt: new Date(0).toISOString(),
              events: [{ at: new Date(0).toISOString(), action: 'submitted', toStatus: 'submitted' }],
            }
          : null,
      };
    case 'listMyCases':
      return { kind: 'myCases', cases: o.caseFound ? [{ trackingId: 'LPR-ABC234', status: 'submitted', description: COMPLAINT, submittedAt: new Date(0).toISOString() }] : [] };
    case 'setLanguage':
      return undefined;
  }
}

function expectWellFormed(replies: Reply[]): void {
  for (const reply of replies) {
    expect(typeof reply.text).toBe('string');
    expect(reply.text.length).toBeGreaterThan(0);
    for (const choice of reply.choices ?? []) expect(choice.label.length).toBeGreaterThan(0);
  }
}

describe('property: the pure citizen flow', () => {
  it('never throws, always answers, and keeps a valid state for any sequence of inputs', () => {
    const ctx: FlowContext = { profile, maxMessageLength: 4000, conversationKey: 'tg:1', now: new Date('2026-03-02T03:00:00Z') };
    fc.assert(
      fc.property(sequences(outcomes, 30), (sequence) => {
        let state: CitizenState = initialCitizenState();
        let n = 0;
        for (const [partial, o] of sequence) {
          const message: InboundMessage = { key: 'tg:1', channel: 'tg', messageId: String(n++), sender: { id: '1' }, ...partial };
          const replies: Reply[] = [];
          const pending: FlowInput[] = [{ kind: 'message', message }];
          let effectsRun = 0;
          for (let steps = 0; pending.length > 0 && steps < MAX_STEPS_PER_MESSAGE; steps++) {
            const result = stepCitizen(state, pending.shift()!, ctx);
            state = result.state;
            replies.push(...result.replies);
            for (const effect of result.effects) {
              effectsRun++;
              const event = simulate(effect, o);
              if (event) pending.push(event);
            }
          }
          expect(pending, 'effects must settle within the step cap').toEqual([]);
          // Every message gets an answer (setLanguage alone is the only effect without one, and it comes with text).
          expect(replies.length + effectsRun, JSON.stringify(partial).slice(0, 200)).toBeGreaterThan(0);
          expect(replies.length, JSON.stringify(partial).slice(0, 200)).toBeGreaterThan(0);
          expectWellFormed(replies);
          const parsed = citizenStateSchema.safeParse(state);
          expect(parsed.error?.issues ?? [], JSON.stringify(state).slice(0, 400)).toEqual([]);
          // The state survives the JSON round trip the database gives it.
          expect(JSON.parse(JSON.stringify(state))).toEqual(state);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('property: the engine with the real database', () => {
  let app: TestApp;
  let run = 0;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.cleanup();
  });

  it('never lets an exception escape and stores only valid states', async () => {
    await fc.assert(
      fc.asyncProperty(sequences(fc.boolean(), 14), async (sequence) => {
        const key = `tg:${500000 + ++run}`;
        let n = 0;
        for (const [partial, redeliver] of sequence) {
          const messageId = `m${n++}`;
          const replies = await app.say(key, { ...partial, messageId });
          expectWellFormed(replies);
          expect(replies.length).toBeGreaterThan(0);
          expect(replies.map((r) => r.text).join('\n')).not.toMatch(/gangguan/); // no system-error reply
          if (redeliver) expect(await app.say(key, { ...partial, messageId })).toEqual([]);
        }
        const row = await app.db.conversation.findUnique({ where: { key } });
        if (row) expect(citizenStateSchema.safeParse(row.state).error?.issues ?? []).toEqual([]);
        // At most one case per started report, each with the conversation's key.
        const state = row?.state as CitizenState | undefined;
        const cases = await app.db.case.count({ where: { conversationKey: key } });
        expect(cases).toBeLessThanOrEqual(state?.draftSeq ?? 0);
      }),
      { numRuns: 40 },
    );
  });
});
