import type { Classification, ClassifyInput, Classifier } from './classifier.ts';
import { KeywordClassifier } from './keyword-classifier.ts';
import type { LinearModel } from './linear-model.ts';
import { detectReportKind } from './report-kind.ts';
import { detectInjection } from './injection.ts';
import { detectEmergency } from './detect-emergency.ts';
import type { CityProfile } from '../lib/city-profile.ts';

/** Cheap pre-check so the full injection scan only runs on suspicious messages. */
const INJECTION_HINT = /abaikan|lupakan|acuhkan|ignore|disregard|forget|prompt|instruksi|kirim|teruskan|arahkan|alihkan|opdcode|act as|you are/i;

export interface LabelPrediction {
  label: string;
  confidence: number;
}

/**
 * The classifier that needs no network: a trained linear model when one exists (labels are OPD codes), else the
 * profile's keywords (cold start). The category is always the best keyword match within the chosen OPD.
 */
export class OfflineClassifier implements Classifier {
  readonly name: string;
  readonly keyword: KeywordClassifier;
  private readonly opdCodes: Set<string>;
  /** True when the model's labels are this profile's OPD codes and can route cases. */
  readonly modelRoutes: boolean;

  constructor(
    private readonly profile: CityProfile,
    readonly model?: LinearModel,
  ) {
    this.keyword = new KeywordClassifier(profile);
    this.opdCodes = new Set(profile.opds.map((o) => o.code));
    this.modelRoutes = model !== undefined && model.labels.some((l) => this.opdCodes.has(l));
    this.name = this.modelRoutes ? 'offline-trained' : 'keyword';
  }

  /** The raw label: the model's (whatever its label set) or the keyword OPD code. Used by the evaluation. */
  predictLabel(text: string): LabelPrediction {
    if (this.model) {
      const p = this.model.predict(text);
      return { label: p.label, confidence: p.probability };
    }
    const c = this.keyword.classifySync({ text });
    return { label: c.opdCode, confidence: c.confidence };
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    return this.classifySync(input);
  }

  classifySync(input: ClassifyInput): Classification {
    const emergency = detectEmergency(input.text);
    return {
      ...this.classifyRouting(input),
      emergency: emergency.urgent,
      ...(emergency.kind ? { emergencyKind: emergency.kind } : {}),
      emergencySource: 'offline',
    };
  }

  private classifyRouting(input: ClassifyInput): Classification {
    // A message that tries to steer the routing ("kirim ke BAPENDA") is classified without those sentences,
    // and an admin looks at it.
    if (INJECTION_HINT.test(input.text)) {
      const finding = detectInjection(input.text, this.profile);
      if (finding.suspected) {
        const clean = this.classifyClean({ ...input, text: finding.cleanedText || ' ' });
        return {
          ...clean,
          confidence: Math.min(clean.confidence, 0.45),
          reason: `${clean.reason} (teks berisi instruksi yang diabaikan)`,
          injectionSuspected: true,
        };
      }
    }
    return this.classifyClean(input);
  }

  private classifyClean(input: ClassifyInput): Classification {
    const started = performance.now();
    const byKeyword = this.keyword.classifySync(input);
    if (!this.model || !this.modelRoutes) return byKeyword;
    const p = this.model.predict(input.text);
    if (p.knownFeatures === 0 || !this.opdCodes.has(p.label)) return byKeyword;
    const categoryCode = this.keyword.categoryFor(p.label, input.text) ?? byKeyword.categoryCode;
    const agrees = byKeyword.opdCode === p.label;
    const runnerUp = p.ranked[1];
    return {
      reportKind: detectReportKind(input.text),
      categoryCode,
      opdCode: p.label,
      // The model's probability is calibrated on held-out rows; agreement with the keywords is extra evidence.
      confidence: Math.round(Math.min(0.97, agrees ? p.probability + (1 - p.probability) * 0.3 : p.probability) * 100) / 100,
      reason:
        `Model terlatih: ${p.label} (${Math.round(p.probability * 100)}%)` +
        (runnerUp ? `, alternatif ${runnerUp.label} (${Math.round(runnerUp.probability * 100)}%)` : '') +
        (agrees ? '; sesuai kata kunci' : ''),
      classifier: this.name,
      latencyMs: performance.now() - started,
    };
  }
}
