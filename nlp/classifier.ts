import type { EmergencyKind } from '../lib/emergency-kinds.ts';

export const REPORT_KINDS = ['pengaduan', 'aspirasi', 'permintaan_informasi'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ClassifyInput {
  /** The complaint as the citizen wrote it. */
  text: string;
  /** Address or place, when known; helps tell a kelurahan matter from a city-wide one. */
  location?: string;
  /**
   * The report's privacy choice, when known. A rahasia report's content must not go to a third party, so it is
   * classified offline unless the LLM server is declared self-hosted (LLM_SELF_HOSTED).
   */
  privacy?: 'biasa' | 'anonim' | 'rahasia';
}

/** True when this input may be sent to the configured LLM server. */
export function mayLeaveMachine(input: ClassifyInput, llmSelfHosted: boolean): boolean {
  return llmSelfHosted || input.privacy !== 'rahasia';
}

export interface Classification {
  reportKind: ReportKind;
  categoryCode: string;
  opdCode: string;
  /** 0..1; below LOW_CONFIDENCE the case is flagged for the admin's closer look. */
  confidence: number;
  reason: string;
  /** Which classifier produced this (e.g. "keyword", "llm", "offline"). */
  classifier: string;
  model?: string;
  latencyMs: number;
  tokensIn?: number;
  tokensOut?: number;
  /** Why a fallback classifier answered instead of the configured one (timeout, invalid output…). */
  fallback?: string;
  /** The text tried to instruct the classifier ("abaikan instruksi…"); the instruction was ignored. */
  injectionSuspected?: boolean;
  /**
   * An emergency happening now (fire, rising flood, injuries, violence…): the citizen gets emergency numbers at
   * once and the case is urgent. Undefined from a classifier that does not assess it; callers then use
   * nlp/detect-emergency.ts.
   */
  emergency?: boolean;
  emergencyKind?: EmergencyKind;
  /** Who decided `emergency`: the LLM's flag or the offline rules (fallback, or very sure rules). */
  emergencySource?: 'llm' | 'offline';
}

/** One interface for every classifier; flows never know which one answers. */
export interface Classifier {
  readonly name: string;
  classify(input: ClassifyInput): Promise<Classification>;
}

export const LOW_CONFIDENCE = 0.5;
