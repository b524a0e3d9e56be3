import { mayLeaveMachine, type Classification, type ClassifyInput, type Classifier } from './classifier.ts';
import { LlmClassificationError, toLlmError } from './llm-classifier.ts';
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
    /** The LlmClassifier, or the same behind ConcurrencyLimitedClassifier. */
    readonly primary: Classifier & { readonly model: string },
    readonly fallback: OfflineClassifier,
    private readonly log?: Logger,
    /** LLM_SELF_HOSTED: the LLM server is the city's own, so rahasia reports may go to it. */
    private readonly llmSelfHosted = false,
  ) {
    this.name = `llm+${fallback.name}`;
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    const started = performance.now();
    if (!mayLeaveMachine(input, this.llmSelfHosted)) {
      // Rahasia content never goes to a third-party server; this is policy, not a failure, so no warning.
      return { ...this.fallback.classifySync(input), fallback: 'rahasia_offline', latencyMs: Math.round(performance.now() - started) };
    }
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
