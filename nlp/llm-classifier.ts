import { ChatOpenAI } from '@langchain/openai';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import pRetry from 'p-retry';
import { z } from 'zod';
import { REPORT_KINDS, mayLeaveMachine, type Classification, type ClassifyInput, type Classifier } from './classifier.ts';
import { redact } from './redact.ts';
import { buildSystemPrompt, buildUserMessage, PROMPT_VERSION } from './prompt.ts';
import { detectInjection } from './injection.ts';
import { combineEmergency, detectEmergency, EMERGENCY_KINDS } from './detect-emergency.ts';
import type { CityProfile } from '../lib/city-profile.ts';
import type { Logger } from '../lib/logger.ts';

export type StructuredMethod = 'jsonSchema' | 'functionCalling' | 'jsonMode';

/**
 * Extra attempts after a transient failure (HTTP 429, 5xx, connection refused/reset). Two is enough to ride out
 * a rate-limit blip or a restarting server, and small enough that a citizen waiting for "laporan diterima" is not
 * kept waiting for long: after that the offline classifier answers. Timeouts are not retried (the citizen has
 * already waited LLM_TIMEOUT_MS). ChatOpenAI's own retries are switched off (maxRetries: 0) so the two layers do
 * not multiply.
 */
export const LLM_TRANSIENT_RETRIES = 2;
/** First back-off delay; doubles per attempt, capped at LLM_RETRY_MAX_DELAY_MS. */
export const LLM_RETRY_MIN_DELAY_MS = 500;
export const LLM_RETRY_MAX_DELAY_MS = 4_000;

/** Why the LLM's answer was not used; recorded as `fallback` on the Classification the fallback produces. */
export type LlmFailureReason =
  | 'timeout'
  /** Every LLM_CONCURRENCY slot stayed taken for the whole timeout (nlp/limited-classifier.ts). */
  | 'overloaded'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'http_error'
  | 'invalid_output'
  | 'unknown_code'
  | 'injection_suspected'
  /** A rahasia report and a third-party LLM server: never sent (the offline classifier answers). */
  | 'rahasia_offline';

export class LlmClassificationError extends Error {
  constructor(
    readonly reason: LlmFailureReason,
    message: string,
    readonly attempts = 1,
  ) {
    super(message);
    this.name = 'LlmClassificationError';
  }
}

/** What the model must return, as the schema sent to it (codes constrained to the profile). */
function requestSchema(profile: CityProfile) {
  const opdCodes = profile.opds.map((o) => o.code) as [string, ...string[]];
  const categoryCodes = profile.categories.map((c) => c.code) as [string, ...string[]];
  return z
    .object({
      reportKind: z.enum(REPORT_KINDS).describe('pengaduan, aspirasi atau permintaan_informasi'),
      categoryCode: z.enum(categoryCodes).describe('kode kategori dari daftar'),
      opdCode: z.enum(opdCodes).describe('kode OPD dari daftar'),
      confidence: z.number().min(0).max(1).describe('keyakinan 0..1'),
      reason: z.string().describe('alasan singkat'),
      emergency: z.boolean().describe('true hanya bila keadaan darurat yang sedang terjadi sekarang'),
      emergencyKind: z.enum([...EMERGENCY_KINDS, 'none']).describe('jenis keadaan darurat, atau none'),
    })
    .describe('Klasifikasi satu laporan warga');
}

/** Our own check of the answer: shape first, then codes against the profile (case and spacing forgiven). */
const answerShape = z.object({
  reportKind: z
    .string()
    .transform((v) => v.trim().toLowerCase().replace(/[\s-]+/g, '_'))
    .pipe(z.enum(REPORT_KINDS)),
  categoryCode: z.string().transform((v) => v.trim().toUpperCase()),
  opdCode: z.string().transform((v) => v.trim().toUpperCase()),
  confidence: z.coerce.number().min(0).max(1),
  reason: z.string().max(2000).default(''),
  // Optional in our own check: a server that ignores the schema (jsonMode) may leave them out, and then the
  // offline rules decide; a kind we do not know is dropped rather than failing the whole classification.
  emergency: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .optional()
    .catch(undefined),
  emergencyKind: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(EMERGENCY_KINDS))
    .optional()
    .catch(undefined),
});
export type LlmAnswer = z.output<typeof answerShape>;

/** How to reach the LLM server: what the classifier and the message reader share (nlp/create-classifier.ts). */
export interface LlmConnection {
  model: string;
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
  method: StructuredMethod;
  log?: Logger;
}

export interface LlmClassifierOptions extends LlmConnection {
  profile: CityProfile;
  /** Defaults to LLM_TRANSIENT_RETRIES; tests lower the delays, never the policy. */
  retries?: number;
  retryMinDelayMs?: number;
  /** The server runs on the city's own machines (LLM_SELF_HOSTED): rahasia reports may go to it. */
  selfHosted?: boolean;
}

export class LlmClassifier implements Classifier {
  readonly name = 'llm';
  private readonly chat: ChatOpenAI;
  private readonly structured;
  private readonly systemPrompt: string;
  private readonly opdCodes: Set<string>;
  private readonly categoryCodes: Set<string>;

  constructor(private readonly options: LlmClassifierOptions) {
    this.chat = new ChatOpenAI({
      model: options.model,
      apiKey: options.apiKey,
      temperature: 0,
      timeout: options.timeoutMs,
      maxRetries: 0,
      configuration: options.baseURL ? { baseURL: options.baseURL } : undefined,
    });
    this.structured = this.chat.withStructuredOutput(requestSchema(options.profile), {
      name: 'klasifikasi_laporan',
      method: options.method,
      includeRaw: true,
    });
    this.systemPrompt = buildSystemPrompt(options.profile);
    this.opdCodes = new Set(options.profile.opds.map((o) => o.code));
    this.categoryCodes = new Set(options.profile.categories.map((c) => c.code));
  }

  get model(): string {
    return this.options.model;
  }

  async classify(input: ClassifyInput): Promise<Classification> {
    const started = performance.now();
    // Second line of defence behind FallbackClassifier: this class never sends a rahasia report to a third party.
    if (!mayLeaveMachine(input, this.options.selfHosted ?? false)) {
      throw new LlmClassificationError('rahasia_offline', 'rahasia report; the LLM server is not self-hosted', 0);
    }
    const masked = redact(input.text);
    const location = input.location ? redact(input.location).text : undefined;
    const messages: BaseMessage[] = [new SystemMessage(this.systemPrompt), new HumanMessage(buildUserMessage(masked.text, location))];
    let attempts = 0;
    const result = await pRetry(
      async () => {
        attempts++;
        try {
          return await this.structured.invoke(messages);
        } catch (err) {
          throw toLlmError(err, attempts);
        }
      },
      {
        retries: this.options.retries ?? LLM_TRANSIENT_RETRIES,
        minTimeout: this.options.retryMinDelayMs ?? LLM_RETRY_MIN_DELAY_MS,
        maxTimeout: LLM_RETRY_MAX_DELAY_MS,
        factor: 2,
        shouldRetry: ({ error }) => isTransient(error),
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          this.options.log?.warn(
            { attempt: attemptNumber, retriesLeft, reason: error instanceof LlmClassificationError ? error.reason : 'unknown' },
            'LLM classification attempt failed',
          );
        },
      },
    ).catch((err: unknown) => {
      if (err instanceof LlmClassificationError) throw new LlmClassificationError(err.reason, err.message, attempts);
      throw toLlmError(err, attempts);
    });
    const latencyMs = performance.now() - started;
    const raw = result.raw as AIMessage;
    const answer = this.validate(result.parsed, raw);
    const usage = raw.usage_metadata;
    const finding = detectInjection(input.text, this.options.profile);
    let confidence = answer.confidence;
    let reason = answer.reason.trim().slice(0, 500);
    if (finding.suspected) {
      if (finding.requestedOpdCodes.includes(answer.opdCode)) {
        throw new LlmClassificationError(
          'injection_suspected',
          `LLM chose ${answer.opdCode}, which the complaint text itself demanded`,
          attempts,
        );
      }
      // The model resisted, but an admin should still see a message that tried to steer the routing.
      confidence = Math.min(confidence, 0.45);
      reason = `${reason} (teks berisi instruksi yang diabaikan)`.trim();
    }
    const emergency = combineEmergency(
      detectEmergency(input.text),
      answer.emergency === undefined ? undefined : { emergency: answer.emergency, kind: answer.emergencyKind },
    );
    this.options.log?.debug(
      { model: this.options.model, latencyMs: Math.round(latencyMs), attempts, prompt: PROMPT_VERSION, masked: masked.counts },
      'LLM classified',
    );
    return {
      reportKind: answer.reportKind,
      categoryCode: answer.categoryCode,
      opdCode: answer.opdCode,
      confidence: Math.round(confidence * 100) / 100,
      reason,
      classifier: this.name,
      model: (raw.response_metadata?.model_name as string | undefined) ?? this.options.model,
      latencyMs: Math.round(latencyMs),
      tokensIn: usage?.input_tokens,
      tokensOut: usage?.output_tokens,
      ...(finding.suspected ? { injectionSuspected: true } : {}),
      emergency: emergency.urgent,
      ...(emergency.kind ? { emergencyKind: emergency.kind } : {}),
      emergencySource: emergency.source,
    };
  }

  /** The answer LangChain parsed, or failing that the raw message's JSON, checked by our schema and profile. */
  private validate(parsed: unknown, raw: AIMessage): LlmAnswer {
    const candidate = parsed ?? extractJson(raw);
    if (candidate === undefined) throw new LlmClassificationError('invalid_output', 'the LLM returned no JSON object');
    const result = answerShape.safeParse(candidate);
    if (!result.success) {
      throw new LlmClassificationError(
        'invalid_output',
        `the LLM answer does not validate: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    const answer = result.data;
    if (!this.opdCodes.has(answer.opdCode)) throw new LlmClassificationError('unknown_code', `OPD ${answer.opdCode} is not in the city profile`);
    if (!this.categoryCodes.has(answer.categoryCode))
      throw new LlmClassificationError('unknown_code', `category ${answer.categoryCode} is not in the city profile`);
    return answer;
  }
}

/** JSON from a tool call's arguments or from the message text (also inside a ```json fence). */
function extractJson(raw: AIMessage): unknown {
  const toolArgs = raw.tool_calls?.[0]?.args;
  if (toolArgs && Object.keys(toolArgs).length > 0) return toolArgs;
  const invalid = raw.invalid_tool_calls?.[0]?.args;
  const text = typeof raw.content === 'string' ? raw.content : raw.content.map((c) => ('text' in c ? String(c.text) : '')).join('');
  for (const source of [text, invalid ?? '']) {
    const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(source)?.[1] ?? source;
    const start = fenced.indexOf('{');
    const end = fenced.lastIndexOf('}');
    if (start < 0 || end <= start) continue;
    try {
      return JSON.parse(fenced.slice(start, end + 1));
    } catch {
      // not JSON; try the next source
    }
  }
  return undefined;
}

function isTransient(error: unknown): boolean {
  return (
    error instanceof LlmClassificationError &&
    (error.reason === 'rate_limited' || error.reason === 'server_error' || error.reason === 'network')
  );
}

/** Maps OpenAI SDK / LangChain errors to a reason code without keeping the request (it holds complaint text). */
export function toLlmError(err: unknown, attempts = 1): LlmClassificationError {
  if (err instanceof LlmClassificationError) return err;
  // With method jsonSchema the OpenAI SDK checks the answer against the zod schema itself and throws its ZodError.
  const issues = (err as { issues?: unknown })?.issues;
  if (Array.isArray(issues)) {
    const codeIssue = issues.some(
      (i: { path?: unknown[]; code?: string }) => (i.path?.[0] === 'opdCode' || i.path?.[0] === 'categoryCode') && i.code === 'invalid_value',
    );
    return codeIssue
      ? new LlmClassificationError('unknown_code', 'the LLM chose a code outside the city profile', attempts)
      : new LlmClassificationError('invalid_output', 'the LLM answer does not match the schema', attempts);
  }
  if (err instanceof SyntaxError) return new LlmClassificationError('invalid_output', 'the LLM answer is not valid JSON', attempts);
  const e = err as { status?: unknown; name?: unknown; code?: unknown; message?: unknown; cause?: unknown; lc_error_code?: unknown };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const name = String(e?.name ?? '');
  const message = String(e?.message ?? err);
  const code = String(e?.code ?? (e?.cause as { code?: unknown } | undefined)?.code ?? '');
  if (/timeout|timed out/i.test(name) || /timed? ?out/i.test(message) || code === 'ETIMEDOUT')
    return new LlmClassificationError('timeout', 'the LLM did not answer in time', attempts);
  if (status === 429 || /\b429\b|rate limit/i.test(message)) return new LlmClassificationError('rate_limited', 'LLM rate limited (429)', attempts);
  if (status !== undefined && status >= 500) return new LlmClassificationError('server_error', `LLM server error (${status})`, attempts);
  if (status !== undefined) return new LlmClassificationError('http_error', `LLM request rejected (${status})`, attempts);
  if (/connection|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|fetch failed|socket|network/i.test(`${name} ${message} ${code}`))
    return new LlmClassificationError('network', 'could not reach the LLM server', attempts);
  if (/json|parse|schema|validat/i.test(message)) return new LlmClassificationError('invalid_output', 'the LLM output could not be parsed', attempts);
  return new LlmClassificationError('http_error', `LLM call failed: ${name || 'error'}`, attempts);
}
