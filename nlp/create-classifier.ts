import type { Classifier } from './classifier.ts';
import { OfflineClassifier } from './offline-classifier.ts';
import { defaultModelPath, loadModel } from './model-store.ts';
import type { LinearModel } from './linear-model.ts';
import type { Config } from '../lib/config.ts';
import type { CityProfile } from '../lib/city-profile.ts';
import type { Logger } from '../lib/logger.ts';
import type { LlmConnection } from './llm-classifier.ts';

/** The OpenAI default model, used when an API key is set without LLM_MODEL. */
export const DEFAULT_LLM_MODEL = 'gpt-4o-mini';

export interface CreateClassifierOptions {
  config: Config;
  profile: CityProfile;
  log?: Logger;
}

/** Loads the trained offline model when present; a broken file is logged and ignored (cold start instead). */
export function loadOfflineModel(config: Config, log?: Logger): LinearModel | undefined {
  const file = config.CLASSIFIER_MODEL_PATH ?? defaultModelPath(config.DATA_DIR);
  try {
    const model = loadModel(file);
    if (model) log?.info({ file, labels: model.labels.length, trainedAt: model.meta.trainedAt }, 'offline classifier model loaded');
    else log?.info({ file }, 'no trained offline model; keyword cold start');
    return model;
  } catch (err) {
    log?.error({ file, err: (err as Error).message }, 'offline classifier model unreadable; keyword cold start');
    return undefined;
  }
}

/**
 * How to reach the configured LLM server, shared by the classifier and the message reader; undefined when no LLM
 * is configured (neither LLM_BASE_URL nor an API key).
 */
function llmConnection(config: Config, log?: Logger): LlmConnection | undefined {
  const apiKey = config.LLM_API_KEY ?? config.OPENAI_API_KEY;
  if (!config.LLM_BASE_URL && !apiKey) return undefined;
  return {
    baseURL: config.LLM_BASE_URL,
    // Local servers (Ollama, llama.cpp, vLLM) ignore the key but the client insists on one.
    apiKey: apiKey ?? 'not-needed',
    model: config.LLM_MODEL ?? DEFAULT_LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    method: config.LLM_STRUCTURED_METHOD,
    log,
  };
}

/**
 * The classifier the bot uses: LLM with offline fallback when LLM_BASE_URL or an API key is configured, else the
 * offline classifier (trained model when one has been saved under DATA_DIR, else profile keywords).
 */
export async function createClassifier(opts: CreateClassifierOptions): Promise<Classifier> {
  const { config, profile, log } = opts;
  const model = loadOfflineModel(config, log);
  const offline = new OfflineClassifier(profile, model);
  if (model && !offline.modelRoutes)
    log?.warn({ labels: model.labels.slice(0, 5) }, 'the trained model\'s labels are not OPD codes of this city profile; using keywords to route');
  const connection = llmConnection(config, log);
  if (!connection) return offline;
  // Loaded only when an LLM is configured: LangChain adds about 60 MB to the process.
  const [{ LlmClassifier }, { FallbackClassifier }, { ConcurrencyLimitedClassifier }] = await Promise.all([
    import('./llm-classifier.ts'),
    import('./fallback-classifier.ts'),
    import('./limited-classifier.ts'),
  ]);
  const llm = new LlmClassifier({ profile, ...connection, selfHosted: config.LLM_SELF_HOSTED });
  log?.info(
    { model: llm.model, method: config.LLM_STRUCTURED_METHOD, baseURL: config.LLM_BASE_URL ?? 'default', concurrency: config.LLM_CONCURRENCY },
    'LLM classifier with offline fallback',
  );
  const limited = new ConcurrencyLimitedClassifier(llm, { concurrency: config.LLM_CONCURRENCY, maxWaitMs: config.LLM_TIMEOUT_MS, log });
  return new FallbackClassifier(limited, offline, log, config.LLM_SELF_HOSTED);
}

/**
 * The LLM reader of free first messages, when an LLM is configured, declared self-hosted (LLM_SELF_HOSTED) and
 * LLM_READS_MESSAGES is not 0; undefined otherwise (the offline understanding answers alone). The first message
 * comes before the citizen chooses rahasia, and rahasia content never goes to a third party, so a third-party LLM
 * never reads it.
 */
export async function createMessageReader(opts: CreateClassifierOptions): Promise<import('./read-message.ts').MessageReader | undefined> {
  const { config, profile, log } = opts;
  const connection = llmConnection(config, log);
  if (!connection || !config.LLM_READS_MESSAGES || !config.LLM_SELF_HOSTED) return undefined;
  const { LlmMessageReader } = await import('./read-message.ts');
  return new LlmMessageReader({ profile, ...connection });
}
