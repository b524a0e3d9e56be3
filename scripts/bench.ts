/**
 * `npm run bench`: load figures for the embedded defaults (keyword classifier, SQLite in WAL mode).
 *
 * Phases, each in its own child process so peak RSS belongs to that phase alone:
 *  - intake: many simulated citizens complete the intake flow concurrently through FlowEngine.handle, fed
 *    InboundMessages the way a channel adapter feeds them, as fast as they can (closed loop, --concurrency
 *    citizens at once): the throughput ceiling, with p50/p99 latency under that saturation and peak RSS.
 *  - latency: citizens arrive at a steady rate so messages come in at --rate per second (open loop; a citizen
 *    types the next answer --think ms after the reply): p50/p99 latency per message at that load, measured
 *    from the moment the message was due, so a stalled engine cannot hide its queue.
 *  - raw: the same database writes done directly with better-sqlite3 prepared statements (the floor the engine
 *    could reach on this disk), so the engine's rate can be read as a ratio.
 *  - open: 10,000 conversations started but not finished; RSS with all of them stored and resumable.
 *  - crowd: a slow LLM (a fake OpenAI-compatible server answering in 1.5 s) and --crowd (50) citizens answering the
 *    privacy question at once, so all of them need a classification together, with LLM_CONCURRENCY = --crowd:
 *    time until each gets the summary; meanwhile bystanders say "halo" every few ms: their latency (p99).
 *  - postgres: the same bot on PostgreSQL with 1, 2 and 4 processes on one database (each process its own share
 *    of the citizens, as a load balancer with chat affinity would give them): messages/s as fast as possible, the
 *    ratio to one process, and p50/p99 latency at --pg-rate (300) messages/s offered. Uses BENCH_POSTGRES_URL or
 *    TEST_POSTGRES_URL (a superuser's URL: databases are created and dropped), or starts a throwaway cluster
 *    itself with .ci/postgres.sh; skipped, saying why, when none can be had.
 *
 * The app is built by createApp as in production, flood control included (an intake is 5 messages, within
 * its limit of 5 per 2 s even when a simulated citizen answers instantly).
 *
 * Options: --citizens N (default 2000), --concurrency N (citizens talking at the same time, default 32),
 * --rate N (messages/second offered in the latency phase, default 500), --think MS (default 200),
 * --open N (default 10000), --crowd N (default 50), --pg-citizens N (default 400), --pg-rate N (default 300),
 * --pg-processes 1,2,4, --only crowd|postgres|engine (run some phases), --phase … (one phase in this process; used
 * internally), --json (print one JSON line per phase).
 */
import { spawn, spawnSync } from 'node:child_process';
import readline from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createApp, type App } from '../bot/app.ts';
import { configSchema } from '../lib/config.ts';
import { applyMigrations } from '../db/migrate.ts';
import { loadCityProfile } from '../lib/city-profile.ts';
import { newTrackingId } from '../domain/tracking-id.ts';
import type { InboundMessage } from '../flows/types.ts';
import { t as citizenText } from '../flows/citizen/texts.ts';
import { FAKE_LLM_ANSWER, startFakeLlm } from './fake-llm-server.ts';
import pg from 'pg';
import { applyPostgresMigrations } from '../db/migrate-postgres.ts';
import { withDatabase } from '../db/postgres-url.ts';

const TARGETS = {
  messagesPerSecond: 500,
  p99Ms: 50,
  openConversationsRssMb: 300,
  /** Crowd: every summary within 3 s of a 1.5 s LLM when the limit lets every call run at once. */
  crowdAllSummariesMs: 3_000,
  /** Crowd: a message that needs no LLM is not held up by the ones waiting for it. */
  bystanderP99Ms: 100,
  /** PostgreSQL: two processes give at least 1.6× one, and p99 stays under 50 ms at 300 msg/s offered. */
  twoProcessRatio: 1.6,
  postgresP99Ms: 50,
} as const;
/** The fake model's answer time in the crowd phase (issue 16 measured with a 1.5 s model). */
const CROWD_LLM_DELAY_MS = 1_500;
/** A bystander's "halo" this often during the crowd phase. */
const BYSTANDER_INTERVAL_MS = 5;

/** One citizen's intake, as typed in a chat: complaint, location, skip photo, privacy, confirm. */
const INTAKE = [
  'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor',
  'Jl. Sumbersari No. 10, Lowokwaru',
  'lewati',
  '1',
  'ya',
];

const { values: args } = parseArgs({
  options: {
    citizens: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '32' },
    open: { type: 'string', default: '10000' },
    rate: { type: 'string', default: String(TARGETS.messagesPerSecond) },
    think: { type: 'string', default: '200' },
    crowd: { type: 'string', default: '50' },
    'pg-citizens': { type: 'string', default: '400' },
    'pg-rate': { type: 'string', default: '300' },
    'pg-processes': { type: 'string', default: '1,2,4' },
    'pg-url': { type: 'string' },
    worker: { type: 'string' },
    workers: { type: 'string' },
    mode: { type: 'string' },
    only: { type: 'string' },
    phase: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

interface PhaseResult {
  phase: string;
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Process CPU time per message: the cost that does not depend on what else the machine is running. */
  cpuMsPerMessage: number;
  gcMs: number;
  gcMaxPauseMs: number;
  peakRssMb: number;
  rssMb: number;
  offeredRate?: number;
  p90Ms?: number;
  p999Ms?: number;
  slowByStep?: number[];
  loopDelayP99Ms?: number;
  loopDelayMaxMs?: number;
  cases?: number;
  openConversations?: number;
  /** Crowd phase. */
  crowd?: number;
  summaryP50Ms?: number;
  summaryMaxMs?: number;
  summariesFromLlm?: number;
  llmMaxInFlight?: number;
  llmFirstRequestMs?: number;
  llmLastRequestMs?: number;
  llmLastAnswerMs?: number;
  bystanders?: number;
  bystanderP50Ms?: number;
  bystanderP99Ms?: number;
  bystanderMaxMs?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
/** resourceUsage().maxRSS is in kilobytes: the process's peak resident set. */
const peakRssMb = () => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

/** CPU time and garbage-collection pauses over a phase. */
function meter() {
  const cpu0 = process.cpuUsage();
  let gcMs = 0;
  let gcMaxPauseMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcMaxPauseMs = Math.max(gcMaxPauseMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return async (messages: number) => {
    const cpu = process.cpuUsage(cpu0);
    // GC entries reach the observer as a macrotask; a run made only of promise continuations never yields one.
    await sleep(20);
    observer.disconnect();
    return { cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / messages, gcMs, gcMaxPauseMs };
  };
}

async function freshDatabase(): Promise<{ dir: string; url: string; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-'));
  const file = path.join(dir, 'bench.db');
  await applyMigrations(`file:${file}`);
  return { dir, url: `file:${file}`, file };
}

/** Runs a phase on a fresh app and database, warmed up (JIT, prepared statements, page cache), then removes both. */
async function withApp<T>(phase: (app: App) => Promise<T>): Promise<T> {
  const { dir, url } = await freshDatabase();
  const config = configSchema.parse({ DATABASE_URL: url, DATA_DIR: dir, LOG_LEVEL: 'warn' });
  const app = await createApp({ config, skipMigrations: true, log: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    for (let i = 0; i < 20; i++) for (const text of INTAKE) await app.handle(message(`tg:warm${i}`, text));
    return await phase(app);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures every engine phase reports, from its per-message latencies (sorted here). */
function latencySummary(phase: string, latencies: number[], seconds: number) {
  latencies.sort((a, b) => a - b);
  return {
    phase,
    messages: latencies.length,
    seconds,
    messagesPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1],
    peakRssMb: peakRssMb(),
    rssMb: mb(process.memoryUsage().rss),
  };
}

function message(key: string, text: string): InboundMessage {
  return { key, channel: 'tg', messageId: randomUUID(), text, sender: { id: key, name: 'Warga Bench' }, receivedAt: new Date() };
}

async function runIntake(): Promise<PhaseResult> {
  const citizens = Number(args.citizens);
  const concurrency = Number(args.concurrency);
  return withApp(async (app) => {
    const latencies: number[] = [];
    let next = 0;
    const stop = meter();
    const started = performance.now();
    const worker = async () => {
      for (let i = next++; i < citizens; i = next++) {
        const key = `tg:${100000 + i}`;
        for (const text of INTAKE) {
          const t0 = performance.now();
          const replies = await app.handle(message(key, text));
          latencies.push(performance.now() - t0);
          if (replies.length === 0) throw new Error(`no reply for ${key}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const metered = await stop(latencies.length);
    const cases = await app.db.case.count({ where: { conversationKey: { startsWith: 'tg:1' } } });
    if (cases !== citizens) throw new Error(`expected ${citizens} cases, found ${cases}`);
    return { ...latencySummary('intake', latencies, seconds), ...metered, cases };
  });
}

/**
 * One citizen of an open-loop run: the first message is due at `firstDue`, each next one `think` ms after the
 * reply. Latency counts from when a message was due, so a stalled engine cannot hide its queue.
 */
async function openLoopCitizen(app: App, key: string, firstDue: number, think: number, record: (step: number, latencyMs: number) => void): Promise<void> {
  let due = firstDue;
  for (const [step, text] of INTAKE.entries()) {
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const replies = await app.handle(message(key, text));
    const answered = performance.now();
    record(step, answered - due);
    if (replies.length === 0) throw new Error(`no reply for ${key}`);
    due = answered + think;
  }
}

async function runLatency(): Promise<PhaseResult> {
  const citizens = Number(args.citizens);
  const rate = Number(args.rate);
  const think = Number(args.think);
  return withApp(async (app) => {
    const latencies: number[] = [];
    const slowByStep = INTAKE.map(() => 0);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const arrivalMs = (INTAKE.length * 1000) / rate;
    const stop = meter();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: citizens }, (_, i) =>
        openLoopCitizen(app, `tg:${200000 + i}`, started + i * arrivalMs, think, (step, latency) => {
          latencies.push(latency);
          if (latency > TARGETS.p99Ms) slowByStep[step]++;
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const metered = await stop(latencies.length);
    loopDelay.disable();
    const cases = await app.db.case.count({ where: { conversationKey: { startsWith: 'tg:2' } } });
    if (cases !== citizens) throw new Error(`expected ${citizens} cases, found ${cases}`);
    const summary = latencySummary('latency', latencies, seconds);
    return {
      ...summary,
      p90Ms: percentile(latencies, 90),
      p999Ms: percentile(latencies, 99.9),
      slowByStep,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      offeredRate: rate,
      ...metered,
      cases,
    };
  });
}

/**
 * The writes one intake makes, straight through better-sqlite3: per message a conversation upsert with
 * version and a processed-message row in one transaction; at filing a citizen, an identity, the case with its
 * deadline and its first event.
 */
async function runRaw(): Promise<PhaseResult> {
  const citizens = Number(args.citizens);
  const { dir, file } = await freshDatabase();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  try {
    const insertConversation = db.prepare(
      'INSERT INTO Conversation (key, flow, state, version, updatedAt) VALUES (?, ?, ?, 1, ?)',
    );
    const updateConversation = db.prepare('UPDATE Conversation SET state = ?, version = version + 1, updatedAt = ? WHERE key = ? AND version = ?');
    const selectConversation = db.prepare('SELECT state, version FROM Conversation WHERE key = ?');
    const selectProcessed = db.prepare('SELECT 1 FROM ProcessedMessage WHERE conversationKey = ? AND messageId = ?');
    const insertProcessed = db.prepare('INSERT INTO ProcessedMessage (conversationKey, messageId, processedAt) VALUES (?, ?, ?)');
    const insertCitizen = db.prepare('INSERT INTO Citizen (id, name, language, createdAt) VALUES (?, ?, ?, ?)');
    const insertIdentity = db.prepare('INSERT INTO ChannelIdentity (conversationKey, channel, citizenId, displayName) VALUES (?, ?, ?, ?)');
    const insertCase = db.prepare(
      `INSERT INTO "Case" (id, trackingId, intakeKey, reportKind, description, categoryCode, opdCode, locationText, privacy, status,
        channel, reporterId, conversationKey, submittedAt, verifyDueAt, updatedAt) VALUES (?, ?, ?, 'pengaduan', ?, ?, ?, ?, 'biasa', 'submitted', 'tg', ?, ?, ?, ?, ?)`,
    );
    const insertEvent = db.prepare(
      "INSERT INTO CaseEvent (id, caseId, at, actorType, actorId, action, toStatus) VALUES (?, ?, ?, 'citizen', ?, 'submitted', 'submitted')",
    );
    // The raw database gets the one OPD and category the cases point at (the app seeds the whole profile).
    const profile = loadCityProfile('malang');
    const category = profile.categories[0];
    const opd = profile.opds.find((o) => o.code === category.defaultOpdCode)!;
    db.prepare('INSERT INTO Opd (code, name, scope, keywords, active) VALUES (?, ?, ?, ?, 1)').run(opd.code, opd.name, opd.scope, JSON.stringify(opd.keywords));
    db.prepare('INSERT INTO Category (code, name, defaultOpdCode) VALUES (?, ?, ?)').run(category.code, category.name, category.defaultOpdCode);
    const saveMessage = db.transaction((key: string, state: string, version: number) => {
      const now = Date.now();
      if (version === 0) insertConversation.run(key, 'citizen', state, now);
      else if (updateConversation.run(state, now, key, version).changes !== 1) throw new Error('conflict');
      insertProcessed.run(key, randomUUID(), now);
    });
    const file_ = db.transaction((key: string, description: string) => {
      const now = Date.now();
      const citizenId = randomUUID();
      insertCitizen.run(citizenId, 'Warga Bench', 'id', now);
      insertIdentity.run(key, 'tg', citizenId, 'Warga Bench');
      const caseId = randomUUID();
      insertCase.run(caseId, newTrackingId(), `${key}#1`, description, category.code, category.defaultOpdCode, INTAKE[1], citizenId, key, now, now, now);
      insertEvent.run(randomUUID(), caseId, now, citizenId);
    });
    let messages = 0;
    const stop = meter();
    const started = performance.now();
    for (let i = 0; i < citizens; i++) {
      const key = `tg:${100000 + i}`;
      let version = 0;
      for (let step = 0; step < INTAKE.length; step++) {
        selectProcessed.get(key, 'x');
        selectConversation.get(key);
        if (step === INTAKE.length - 1) file_(key, INTAKE[0]);
        saveMessage(key, JSON.stringify({ lang: 'id', step: `s${step}`, draftSeq: 1, draft: { description: INTAKE[0], photos: [] } }), version);
        version++;
        messages++;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    return { phase: 'raw', messages, seconds, messagesPerSecond: messages / seconds, ...(await stop(messages)), peakRssMb: peakRssMb(), rssMb: mb(process.memoryUsage().rss) };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runOpen(): Promise<PhaseResult> {
  const open = Number(args.open);
  const concurrency = Number(args.concurrency);
  return withApp(async (app) => {
    let next = 0;
    const stop = meter();
    const started = performance.now();
    const worker = async () => {
      // Two messages each: the complaint, then a location; the conversation waits at the photo step.
      for (let i = next++; i < open; i = next++) {
        const key = `tg:${500000 + i}`;
        await app.handle(message(key, INTAKE[0]));
        await app.handle(message(key, INTAKE[1]));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;
    const metered = await stop(open * 2);
    const openConversations = await app.db.conversation.count({ where: { key: { startsWith: 'tg:5' } } });
    return {
      phase: 'open',
      messages: open * 2,
      seconds,
      messagesPerSecond: (open * 2) / seconds,
      ...metered,
      peakRssMb: peakRssMb(),
      rssMb: mb(process.memoryUsage().rss),
      openConversations,
    };
  });
}

/**
 * A crowd confirming at once while the LLM takes 1.5 s a call: each citizen is brought to the privacy question,
 * then all answer it together (each answer needs a classification). Bystanders who only say "halo" keep arriving
 * meanwhile; their replies need no LLM and must not wait for the crowd's.
 */
async function runCrowd(): Promise<PhaseResult> {
  const crowd = Number(args.crowd);
  // The model names another agency than the offline classifier would for this text, so a summary shows whose
  // answer it is (a call that timed out would be answered offline).
  const llm = await startFakeLlm({ delayMs: CROWD_LLM_DELAY_MS, answer: { ...FAKE_LLM_ANSWER, categoryCode: 'LALU-LINTAS', opdCode: 'DISHUB' } });
  const { dir, url } = await freshDatabase();
  const config = configSchema.parse({
    DATABASE_URL: url,
    DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    LLM_BASE_URL: llm.baseURL,
    LLM_API_KEY: 'bench',
    LLM_CONCURRENCY: String(crowd),
    LLM_TIMEOUT_MS: '20000',
  });
  const app = await createApp({ config, skipMigrations: true, log: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    const keys = Array.from({ length: crowd }, (_, i) => `tg:${600000 + i}`);
    await Promise.all(keys.map(async (key) => {
      for (const text of INTAKE.slice(0, 3)) await app.handle(message(key, text));
    }));
    // Warm the LLM path (LangChain's first call builds its client) outside the measurement.
    await app.handle(message('tg:699999', INTAKE[0]));
    for (const text of INTAKE.slice(1, 4)) await app.handle(message('tg:699999', text));
    llm.stats.maxInFlight = 0;
    llm.arrivals.length = 0;
    llm.answers.length = 0;
    let fromLlm = 0;

    const summaryTitle = citizenText('id', 'summaryTitle');
    const llmAgency = app.profile.opds.find((o) => o.code === 'DISHUB')!.name;
    const stop = meter();
    const started = performance.now();
    const summaries = Promise.all(
      keys.map(async (key) => {
        const replies = await app.handle(message(key, INTAKE[3]));
        const at = performance.now() - started;
        const summary = replies.find((r) => r.text.includes(summaryTitle));
        if (!summary) throw new Error(`no summary for ${key}`);
        if (summary.text.includes(llmAgency)) fromLlm++;
        return at;
      }),
    );
    let crowdDone = false;
    void summaries.finally(() => (crowdDone = true)).catch(() => undefined);
    const bystanderLatencies: number[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; !crowdDone; i++) {
      const key = `tg:${700000 + i}`;
      const t0 = performance.now();
      pending.push(
        app.handle(message(key, 'halo')).then((replies) => {
          if (replies.length === 0) throw new Error(`no reply for bystander ${key}`);
          bystanderLatencies.push(performance.now() - t0);
        }),
      );
      await sleep(BYSTANDER_INTERVAL_MS);
    }
    const summaryTimes = (await summaries).sort((a, b) => a - b);
    await Promise.all(pending);
    const seconds = (performance.now() - started) / 1000;
    const metered = await stop(crowd + bystanderLatencies.length);
    bystanderLatencies.sort((a, b) => a - b);
    return {
      phase: 'crowd',
      messages: crowd + bystanderLatencies.length,
      seconds,
      messagesPerSecond: (crowd + bystanderLatencies.length) / seconds,
      ...metered,
      peakRssMb: peakRssMb(),
      rssMb: mb(process.memoryUsage().rss),
      crowd,
      summaryP50Ms: percentile(summaryTimes, 50),
      summaryMaxMs: summaryTimes[summaryTimes.length - 1],
      summariesFromLlm: fromLlm,
      llmFirstRequestMs: Math.min(...llm.arrivals) - started,
      llmLastRequestMs: Math.max(...llm.arrivals) - started,
      llmLastAnswerMs: Math.max(...llm.answers) - started,
      llmMaxInFlight: llm.stats.maxInFlight,
      bystanders: bystanderLatencies.length,
      bystanderP50Ms: percentile(bystanderLatencies, 50),
      bystanderP99Ms: percentile(bystanderLatencies, 99),
      bystanderMaxMs: bystanderLatencies[bystanderLatencies.length - 1],
    };
  } finally {
    await app.close();
    await llm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One bot process of the PostgreSQL phase (--phase pg-worker): the app on the shared database, warmed up, then
 * "ready"; on "go" (stdin) it runs its share (--worker i of --workers n) of the load and prints its latencies.
 * mode throughput: its citizens as fast as possible, --concurrency at once; mode latency: its share of --pg-rate.
 */
/** Citizens each warm-up lane files before a PostgreSQL worker reports ready. */
const PG_WARMUP_ROUNDS = 3;

async function runPostgresWorker(): Promise<void> {
  const worker = Number(args.worker);
  const workers = Number(args.workers);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-pg-'));
  const config = configSchema.parse({ DATABASE_URL: args['pg-url'], DATA_DIR: dir, LOG_LEVEL: 'warn' });
  const app = await createApp({ config, skipMigrations: true, log: pino({ level: 'warn' }, pino.destination(2)) });
  try {
    // Warm up as the run will go: --concurrency citizens at once, so every pooled connection has prepared its
    // statements and the JIT has seen the concurrent path (a sequential warm-up left both to the measured run).
    const warm = async (lane: number) => {
      for (let i = 0; i < PG_WARMUP_ROUNDS; i++) for (const text of INTAKE) await app.handle(message(`tg:warm${worker}x${lane}x${i}`, text));
    };
    await Promise.all(Array.from({ length: Number(args.concurrency) }, (_, lane) => warm(lane)));
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => readline.createInterface({ input: process.stdin }).once('line', () => resolve()));
    const citizens = Number(args['pg-citizens']);
    const mine = Array.from({ length: citizens }, (_, i) => i).filter((i) => i % workers === worker);
    const latencies: number[] = [];
    const stop = meter();
    const started = performance.now();
    if (args.mode === 'throughput') {
      let next = 0;
      const run = async () => {
        for (let n = next++; n < mine.length; n = next++) {
          const key = `tg:${800000 + mine[n]}`;
          for (const text of INTAKE) {
            const t0 = performance.now();
            const replies = await app.handle(message(key, text));
            latencies.push(performance.now() - t0);
            if (replies.length === 0) throw new Error(`no reply for ${key}`);
          }
        }
      };
      await Promise.all(Array.from({ length: Number(args.concurrency) }, run));
    } else {
      // The whole offered rate is --pg-rate; this process gets citizens i, i+n, … so its arrivals keep the global pace.
      const arrivalMs = (INTAKE.length * 1000) / Number(args['pg-rate']);
      await Promise.all(
        mine.map((i) => openLoopCitizen(app, `tg:${900000 + i}`, started + i * arrivalMs, Number(args.think), (_step, latency) => latencies.push(latency))),
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const metered = await stop(latencies.length);
    process.stdout.write(`${JSON.stringify({ seconds, latencies, ...metered, peakRssMb: peakRssMb() })}\n`);
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface PostgresRun {
  processes: number;
  mode: 'throughput' | 'latency';
  messages: number;
  seconds: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuMsPerMessage: number;
}

/** Starts `processes` workers on a fresh database, lets them warm up, starts them together and merges their figures. */
async function runPostgresProcesses(adminUrl: string, processes: number, mode: 'throughput' | 'latency'): Promise<PostgresRun> {
  const name = `lapor_bench_${process.pid}_${processes}_${mode}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = withDatabase(adminUrl, name);
    await applyPostgresMigrations(url);
    const script = fileURLToPath(import.meta.url);
    const children = Array.from({ length: processes }, (_, worker) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', script, '--phase', 'pg-worker', '--pg-url', url, '--worker', String(worker), '--workers', String(processes), '--mode', mode,
          '--pg-citizens', args['pg-citizens']!, '--pg-rate', args['pg-rate']!, '--concurrency', args.concurrency!, '--think', args.think!],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const lines = readline.createInterface({ input: child.stdout });
      const ready = new Promise<void>((resolve, reject) => {
        lines.once('line', (line) => (line === 'ready' ? resolve() : reject(new Error(`worker said ${line}`))));
        child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
      });
      const result = new Promise<{ seconds: number; latencies: number[]; cpuMsPerMessage: number }>((resolve, reject) => {
        let last = '';
        lines.on('line', (line) => (last = line));
        child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(last)) : reject(new Error(`bench worker failed (exit ${code})`))));
      });
      return { child, ready, result };
    });
    await Promise.all(children.map((c) => c.ready));
    const started = performance.now();
    for (const c of children) c.child.stdin.end('go\n');
    const results = await Promise.all(children.map((c) => c.result));
    const seconds = (performance.now() - started) / 1000;
    const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const cpu = results.reduce((sum, r) => sum + r.cpuMsPerMessage * r.latencies.length, 0) / latencies.length;
    // The slowest worker's own run time: process start-up and exit are not load.
    const busySeconds = Math.max(...results.map((r) => r.seconds));
    return {
      processes,
      mode,
      messages: latencies.length,
      seconds: Math.min(seconds, busySeconds),
      messagesPerSecond: latencies.length / Math.min(seconds, busySeconds),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1],
      cpuMsPerMessage: cpu,
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

/** A PostgreSQL server for the bench: BENCH_POSTGRES_URL, TEST_POSTGRES_URL, or a throwaway cluster (.ci/postgres.sh). */
function postgresForBench(): { url: string; stop(): void } | { skipped: string } {
  const given = process.env.BENCH_POSTGRES_URL?.trim() || process.env.TEST_POSTGRES_URL?.trim();
  if (given) return { url: given, stop: () => undefined };
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const started = spawnSync('bash', ['-c', 'source .ci/postgres.sh && pg_throwaway_start >/dev/null && echo "$TEST_POSTGRES_URL" && echo "$PG_THROWAWAY_DIR" && echo "$PG_THROWAWAY_BIN"'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [url, dir, bin] = started.stdout.trim().split('\n');
  if (started.status !== 0 || !url?.startsWith('postgresql://')) {
    return { skipped: `no PostgreSQL (set BENCH_POSTGRES_URL, or run as root where .ci/postgres.sh can start one): ${started.stderr.trim().split('\n').pop() ?? ''}` };
  }
  return {
    url,
    stop: () => {
      spawnSync('bash', ['-c', 'source .ci/postgres.sh && pg_throwaway_stop'], { cwd: root, env: { ...process.env, PG_THROWAWAY_DIR: dir, PG_THROWAWAY_BIN: bin }, stdio: 'ignore' });
    },
  };
}

interface PostgresFigures {
  skipped?: string;
  runs: PostgresRun[];
}

async function runPostgres(): Promise<PostgresFigures> {
  const server = postgresForBench();
  if ('skipped' in server) return { skipped: server.skipped, runs: [] };
  try {
    const runs: PostgresRun[] = [];
    for (const processes of args['pg-processes']!.split(',').map(Number)) {
      runs.push(await runPostgresProcesses(server.url, processes, 'throughput'));
      runs.push(await runPostgresProcesses(server.url, processes, 'latency'));
    }
    return { runs };
  } finally {
    server.stop();
  }
}

async function runPhase(phase: string): Promise<PhaseResult> {
  if (phase === 'crowd') return runCrowd();
  if (phase === 'intake') return runIntake();
  if (phase === 'latency') return runLatency();
  if (phase === 'raw') return runRaw();
  if (phase === 'open') return runOpen();
  throw new Error(`unknown phase ${phase}`);
}

function runChild(phase: string): PhaseResult {
  const script = fileURLToPath(import.meta.url);
  const childArgs = ['--import', 'tsx', script, '--phase', phase, '--citizens', args.citizens!, '--concurrency', args.concurrency!, '--open', args.open!, '--rate', args.rate!, '--think', args.think!];
  const result = spawnSync(process.execPath, childArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`bench phase ${phase} failed (exit ${result.status})`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as PhaseResult;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined ? '-' : n.toFixed(digits));
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

async function main(): Promise<void> {
  if (args.phase === 'pg-worker') return runPostgresWorker();
  if (args.phase) {
    process.stdout.write(`${JSON.stringify(await runPhase(args.phase))}\n`);
    return;
  }
  const only = new Set((args.only ?? 'engine,crowd,postgres').split(','));
  const engine = only.has('engine');
  const intake = engine ? runChild('intake') : undefined;
  const latency = engine ? runChild('latency') : undefined;
  const raw = engine ? runChild('raw') : undefined;
  const open = engine ? runChild('open') : undefined;
  const crowd = only.has('crowd') ? runChild('crowd') : undefined;
  const postgres = only.has('postgres') ? await runPostgres() : undefined;
  if (args.json) {
    for (const r of [intake, latency, raw, open, crowd]) if (r) process.stdout.write(`${JSON.stringify(r)}\n`);
    if (postgres) process.stdout.write(`${JSON.stringify({ phase: 'postgres', ...postgres })}\n`);
    return;
  }
  const load = os.loadavg()[0];
  const lines = [
    `lapor-bot bench — Node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), keyword classifier, SQLite WAL`,
    `load average when done: ${load.toFixed(2)}${load > os.cpus().length + 1 ? ' (the machine was busy with other work: wall-clock figures are pessimistic)' : ''}`,
  ];
  if (intake && latency && raw && open) lines.push(
    '',
    `Throughput: ${args.citizens} citizens × ${INTAKE.length} messages, ${args.concurrency} talking at once, as fast as possible`,
    `  messages/s      ${fmt(intake.messagesPerSecond, 0)}   (target ≥ ${TARGETS.messagesPerSecond}: ${verdict(intake.messagesPerSecond >= TARGETS.messagesPerSecond)})`,
    `  CPU per message ${fmt(intake.cpuMsPerMessage, 2)} ms   (= ${fmt(1000 / intake.cpuMsPerMessage, 0)} messages/s on one free core)`,
    `  latency p50/p99 ${fmt(intake.p50Ms, 2)} / ${fmt(intake.p99Ms, 2)} ms at saturation (queueing behind ${args.concurrency} others)`,
    `  GC              ${fmt(intake.gcMs, 0)} ms total, longest pause ${fmt(intake.gcMaxPauseMs, 1)} ms`,
    `  peak RSS        ${fmt(intake.peakRssMb)} MB`,
    `  cases filed     ${intake.cases}`,
    '',
    `Latency: ${args.citizens} citizens arriving for ${latency.offeredRate} messages/s offered, ${args.think} ms thinking between answers`,
    `  messages/s      ${fmt(latency.messagesPerSecond, 0)} achieved`,
    `  latency p50     ${fmt(latency.p50Ms, 2)} ms, p90 ${fmt(latency.p90Ms, 2)} ms`,
    `  latency p99     ${fmt(latency.p99Ms, 2)} ms   (target < ${TARGETS.p99Ms} ms: ${verdict((latency.p99Ms ?? Infinity) < TARGETS.p99Ms)})`,
    `  latency p99.9   ${fmt(latency.p999Ms, 2)} ms, max ${fmt(latency.maxMs, 2)} ms`,
    `  event-loop stall p99 ${fmt(latency.loopDelayP99Ms, 1)} ms, max ${fmt(latency.loopDelayMaxMs, 1)} ms (time the process could not run: GC or a busy machine)`,
    `  GC              ${fmt(latency.gcMs, 0)} ms total, longest pause ${fmt(latency.gcMaxPauseMs, 1)} ms`,
    `  peak RSS        ${fmt(latency.peakRssMb)} MB`,
    '',
    `Raw better-sqlite3: the same reads and writes, prepared statements, one connection, no engine`,
    `  messages/s      ${fmt(raw.messagesPerSecond, 0)}   CPU per message ${fmt(raw.cpuMsPerMessage, 3)} ms`,
    `  engine / raw    ${fmt((intake.messagesPerSecond / raw.messagesPerSecond) * 100)}% of the raw rate (raw is ${fmt(raw.messagesPerSecond / intake.messagesPerSecond)}× faster)`,
    '',
    `Open conversations: ${args.open} started, not finished (waiting at the photo step)`,
    `  stored          ${open.openConversations}`,
    `  RSS after       ${fmt(open.rssMb)} MB, peak ${fmt(open.peakRssMb)} MB   (target < ${TARGETS.openConversationsRssMb} MB: ${verdict(open.peakRssMb < TARGETS.openConversationsRssMb)})`,
    `  messages/s      ${fmt(open.messagesPerSecond, 0)}`,
  );
  if (crowd) {
    lines.push(
      '',
      `Crowd: ${crowd.crowd} citizens answer the privacy question at once, an LLM answering in ${CROWD_LLM_DELAY_MS / 1000} s, LLM_CONCURRENCY=${crowd.crowd}`,
      `  LLM calls at once ${crowd.llmMaxInFlight}; summaries with the LLM's answer ${crowd.summariesFromLlm} of ${crowd.crowd} (the rest answered offline)`,
      `  LLM requests arrived ${fmt(crowd.llmFirstRequestMs, 0)}–${fmt(crowd.llmLastRequestMs, 0)} ms after the crowd's messages, last answer sent at ${fmt(crowd.llmLastAnswerMs, 0)} ms`,
      `  summary after   p50 ${fmt(crowd.summaryP50Ms, 0)} ms, last ${fmt(crowd.summaryMaxMs, 0)} ms   (target: all within ${TARGETS.crowdAllSummariesMs} ms: ${verdict((crowd.summaryMaxMs ?? Infinity) <= TARGETS.crowdAllSummariesMs)})`,
      `  bystanders      ${crowd.bystanders} "halo" meanwhile (one every ${BYSTANDER_INTERVAL_MS} ms): p50 ${fmt(crowd.bystanderP50Ms, 2)} ms, p99 ${fmt(crowd.bystanderP99Ms, 2)} ms, max ${fmt(crowd.bystanderMaxMs, 2)} ms   (target p99 < ${TARGETS.bystanderP99Ms} ms: ${verdict((crowd.bystanderP99Ms ?? Infinity) < TARGETS.bystanderP99Ms)})`,
    );
  }
  if (postgres) {
    lines.push('', `PostgreSQL: ${args['pg-citizens']} citizens × ${INTAKE.length} messages shared among the processes (each its own citizens)`);
    if (postgres.skipped) lines.push(`  skipped: ${postgres.skipped}`);
    const one = postgres.runs.find((r) => r.processes === 1 && r.mode === 'throughput');
    for (const r of postgres.runs) {
      if (r.mode === 'throughput') {
        const ratio = one ? r.messagesPerSecond / one.messagesPerSecond : undefined;
        const target = r.processes === 2 && ratio !== undefined ? `   (target ≥ ${TARGETS.twoProcessRatio}×: ${verdict(ratio >= TARGETS.twoProcessRatio)})` : '';
        lines.push(
          `  ${r.processes} process${r.processes > 1 ? 'es' : ''}: ${fmt(r.messagesPerSecond, 0)} messages/s as fast as possible (${args.concurrency} citizens at once each), ${fmt(ratio, 2)}× one${target}; p50/p99 ${fmt(r.p50Ms, 1)} / ${fmt(r.p99Ms, 1)} ms at saturation; CPU ${fmt(r.cpuMsPerMessage, 2)} ms per message`,
        );
      } else {
        lines.push(
          `     at ${args['pg-rate']} messages/s offered: p50 ${fmt(r.p50Ms, 1)} ms, p99 ${fmt(r.p99Ms, 1)} ms, max ${fmt(r.maxMs, 1)} ms   (target p99 < ${TARGETS.postgresP99Ms} ms: ${verdict(r.p99Ms < TARGETS.postgresP99Ms)})`,
        );
      }
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
