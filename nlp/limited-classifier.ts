import PQueue from 'p-queue';
import type { Classification, ClassifyInput, Classifier } from './classifier.ts';
import { LlmClassificationError } from './llm-classifier.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * Caps how many LLM calls run at once (LLM_CONCURRENCY). An OpenAI-compatible server on the city's own machine
 * (Ollama, vLLM, llama.cpp) slows down for everyone past a few parallel requests, and a hosted one rate-limits;
 * without a cap a crowd of citizens confirming at once sends them all. Calls beyond the cap wait in one FIFO queue
 * (p-queue): each chat has at most one message in flight (the engine's per-chat queue), so first come, first served
 * is fair between citizens. A call that could not start within the LLM timeout gives up with reason "overloaded",
 * and the fallback classifier answers, so a citizen never waits longer in the queue than the LLM itself may take.
 *
 * Wraps the LLM inside the fallback: new FallbackClassifier(new ConcurrencyLimitedClassifier(llm, …), offline).
 */
export class ConcurrencyLimitedClassifier<C extends Classifier & { readonly model: string }> implements Classifier {
  readonly name: string;
  private readonly queue: PQueue;

  constructor(
    readonly inner: C,
    private readonly options: { concurrency: number; maxWaitMs: number; log?: Logger },
  ) {
    this.name = inner.name;
    this.queue = new PQueue({ concurrency: options.concurrency });
  }

  get model(): string {
    return this.inner.model;
  }

  /** Calls running now, and calls waiting for a slot (for metrics and tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.queue.pending, waiting: this.queue.size };
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    const waiting = new AbortController();
    const timer = setTimeout(() => waiting.abort(), this.options.maxWaitMs);
    try {
      return await this.queue.add(
        () => {
          clearTimeout(timer);
          return this.inner.classify(input);
        },
        { signal: waiting.signal },
      );
    } catch (err) {
      if (waiting.signal.aborted && (err as Error).name === 'AbortError') {
        this.options.log?.warn({ concurrency: this.options.concurrency, waiting: this.queue.size }, 'LLM busy: every slot taken for the whole timeout');
        throw new LlmClassificationError('overloaded', `no LLM slot free within ${this.options.maxWaitMs} ms`);
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}
