import type { Classification, ClassifyInput, Classifier } from './classifier.ts';
import { LlmClassifier, LlmClassificationError, toLlmError } from './llm-classifier.ts';
import type { OfflineClassifier } from './offline-classifier.ts';
import type { Logger } from '../lib/logger.ts';
import { llmCalls, llmFallbacks } from '../lib/metrics.ts';

/**
 * LLM first; on any failure (timeout, HTTP error after retries, output that does not validate, a code outside the
 * profile, a suspected injection) the offline classifier answers and the reason is recorded in `fallback`.
 */
export class FallbackClassifier implements Classifier {
  readonly name: string;
  constructor(
    readonly primary: LlmClassifier,
    readonly fallback: OfflineClassifier,
    private readonly log?: Logger,
  ) {
    this.name = `llm+${fallback.name}`;
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    const started = performance.now();
    try {
      const result = await this.primary.classify(input);
      llmCalls.inc({ outcome: 'ok' });
      return result;
    } catch (err) {
      const error = err instanceof LlmClassificationError ? err : toLlmError(err);
      llmCalls.inc({ outcome: 'fallback' });
      llmFallbacks.inc({ reason: error.reason });
      // Reason codes and counts only: the error never carries the complaint text.
      this.log?.warn({ reason: error.reason, attempts: error.attempts, model: this.primary.model }, 'LLM classification failed; offline fallback');
      const offline = this.fallback.classifySync(input);
      return {
        ...offline,
        fallback: error.reason,
        model: this.primary.model,
        latencyMs: Math.round(performance.now() - started),
      };
    }
  }
}
