import type { PhotoAttachment, Privacy } from './messages.ts';

/**
 * What the classifier settled on, as a case records it. Structurally the same as nlp's Classification, kept
 * here so domain/ needs nothing but lib/ (nlp's type is assignable to it).
 */
export interface DraftClassification {
  reportKind: string;
  categoryCode: string;
  opdCode: string;
  confidence: number;
  reason: string;
  classifier: string;
  model?: string;
  latencyMs: number;
  tokensIn?: number;
  tokensOut?: number;
  fallback?: string;
  injectionSuspected?: boolean;
}

/** A report the citizen is writing; becomes a case when filed. */
export interface IntakeDraft {
  description?: string;
  locationText?: string;
  latitude?: number;
  longitude?: number;
  kelurahan?: string;
  kecamatan?: string;
  placeCode?: string;
  photos: PhotoAttachment[];
  privacy?: Privacy;
  classification?: DraftClassification;
  /** Set while the citizen is changing one field from the summary; the flow returns to the summary after. */
  editing?: boolean;
  /** The start of a complaint said with the opening ("mau lapor soal sampah"), put before the description. */
  lead?: string;
  /** The place lies outside the city (its name); kept so the question is asked once. */
  outside?: string;
}
