import { z } from 'zod';
import { REPORT_KINDS } from '../../nlp/classifier.ts';
import { MAX_PHOTOS } from './citizen-flow.ts';

/**
 * What a valid stored citizen state looks like, beyond its TypeScript type: the invariants the flow relies on
 * (a draft exists while a report is in progress, a report in confirmation has a description, photos are
 * capped). Used by the property tests; cheap enough to check a state loaded from an old or hand-edited row.
 */
const photo = z.object({
  kind: z.literal('photo'),
  path: z.string().min(1),
  mime: z.string().optional(),
  size: z.number().nonnegative().optional(),
});

const classification = z.object({
  reportKind: z.enum(REPORT_KINDS),
  categoryCode: z.string().min(1),
  opdCode: z.string().min(1),
  confidence: z.number().min(0).max(1),
  reason: z.string(),
  classifier: z.string(),
  model: z.string().optional(),
  latencyMs: z.number().nonnegative(),
  tokensIn: z.number().optional(),
  tokensOut: z.number().optional(),
  fallback: z.string().optional(),
});

const draft = z.object({
  description: z.string().min(1).optional(),
  locationText: z.string().optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  kelurahan: z.string().optional(),
  kecamatan: z.string().optional(),
  placeCode: z.string().optional(),
  photos: z.array(photo).max(MAX_PHOTOS),
  privacy: z.enum(['biasa', 'anonim', 'rahasia']).optional(),
  classification: classification.optional(),
  editing: z.boolean().optional(),
  lead: z.string().min(1).optional(),
  outside: z.string().optional(),
});

const STEPS = [
  'idle', 'menu', 'description', 'location', 'location_outside', 'location_area', 'photo', 'privacy', 'classifying', 'confirm', 'edit',
  'filing', 'status_id', 'confirm_cancel',
] as const;

/** Steps in the middle of a report; they need a draft. */
const REPORT_STEPS: string[] = ['description', 'location', 'location_outside', 'location_area', 'photo', 'privacy', 'classifying', 'confirm', 'edit', 'filing', 'confirm_cancel'];
/** Steps past the questions; the draft must carry a description by then. */
const DESCRIBED_STEPS = ['location', 'photo', 'privacy', 'classifying', 'confirm', 'filing'];

export const citizenStateSchema = z
  .object({
    lang: z.enum(['id', 'en']),
    step: z.enum(STEPS),
    draft: draft.optional(),
    draftSeq: z.number().int().nonnegative(),
    langChosen: z.boolean().optional(),
    lastAt: z.iso.datetime().optional(),
    cancelFrom: z.enum(STEPS).optional(),
  })
  .superRefine((state, ctx) => {
    if (REPORT_STEPS.includes(state.step) && !state.draft) ctx.addIssue({ code: 'custom', message: `step ${state.step} without a draft` });
    if (DESCRIBED_STEPS.includes(state.step) && !state.draft?.description) {
      ctx.addIssue({ code: 'custom', message: `step ${state.step} without a description` });
    }
    if (['confirm', 'filing'].includes(state.step) && !state.draft?.classification) {
      ctx.addIssue({ code: 'custom', message: `step ${state.step} without a classification` });
    }
    if (state.draft && state.draftSeq < 1) ctx.addIssue({ code: 'custom', message: 'a draft exists but draftSeq is 0' });
    if (state.step === 'confirm_cancel' && !state.cancelFrom) ctx.addIssue({ code: 'custom', message: 'confirm_cancel without the step to return to' });
  });
