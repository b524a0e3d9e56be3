export const REPORT_KINDS = ['pengaduan', 'aspirasi', 'permintaan_informasi'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ClassifyInput {
  /** The complaint as the citizen wrote it. */
  text: string;
  /** Address or place, when known; helps tell a kelurahan matter from a city-wide one. */
  location?: string;
  /**
   * The text must not leave this machine (a rahasia report: domain/case-access.ts lets no third party, the
   * LLM provider included, see its content). Classifiers that call out answer locally or refuse.
   */
  keepLocal?: boolean;
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
}

/** One interface for every classifier; flows never know which one answers. */
export interface Classifier {
  readonly name: string;
  classify(input: ClassifyInput): Promise<Classification>;
}

export const LOW_CONFIDENCE = 0.5;
