import { loadConfig, type Config } from '../lib/config.ts';
import { loadCityProfile, type CityProfile } from '../lib/city-profile.ts';
import { createLogger, setLogger, type Logger } from '../lib/logger.ts';
import { openDatabase, type Db } from '../db/client.ts';
import { migrateDatabase } from '../db/migrate-database.ts';
import { createConversationLock, type ConversationLock } from '../db/conversation-lock.ts';
import { securePrivateTree } from '../lib/private-files.ts';
import { seedCityProfile } from '../db/seed-city.ts';
import { OutboxDispatcher } from '../db/outbox.ts';
import { FlowEngine } from '../flows/engine.ts';
import { createPipeline } from '../flows/pipeline.ts';
import type { CaseFiledHook } from '../cases/file-case.ts';
import { settleUndeliverable } from '../cases/notify.ts';
import { KeywordClassifier } from '../nlp/keyword-classifier.ts';
import { createClassifier, createMessageReader } from '../nlp/create-classifier.ts';
import { GeoJsonBoundary, type CityBoundary } from '../lib/geo.ts';
import type { MessageReader } from '../nlp/read-message.ts';
import type { Classifier } from '../nlp/classifier.ts';
import { createTranscriber, type AudioTranscriber } from '../nlp/transcribe-audio.ts';
import { WorkingCalendar } from '../lib/working-days.ts';
import { withFloodControl, type FloodControl, type FloodControlOptions, type HandleMessage } from '../flows/flood-control.ts';
import { loadConversation } from '../db/conversations.ts';
import type { CitizenState, Reply } from '../flows/types.ts';

export interface App {
  config: Config;
  profile: CityProfile;
  db: Db;
  log: Logger;
  classifier: Classifier;
  calendar: WorkingCalendar;
  engine: FlowEngine;
  /** Keeps a conversation's messages one at a time across processes (PostgreSQL); closed by close(). */
  conversationLock: ConversationLock;
  /** What every channel adapter calls with an inbound message: the engine behind flood control (when on). */
  handle: HandleMessage;
  outbox: OutboxDispatcher<Reply>;
  /** In front of engine.handle for every channel; undefined when disabled (tests). */
  flood?: FloodControl;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  config?: Config;
  /** Skip migrating (tests start from an already migrated copy). */
  skipMigrations?: boolean;
  log?: Logger;
  clock?: () => Date;
  classifier?: Classifier;
  /** Replaces the LLM reader of first messages built from the configuration (tests). */
  messageReader?: MessageReader;
  /** Flood-control limits (flows/flood-control.ts), or false to turn it off (tests that fire messages fast). */
  floodControl?: Omit<FloodControlOptions, 'language' | 'onFlood'> | false;
  /** More work in every filing transaction (e.g. a test's own notice). */
  caseFiledHooks?: CaseFiledHook[];
  /** Speech-to-text for voice notes; by default from STT_BASE_URL (none when unset). */
  transcriber?: Pick<AudioTranscriber, 'transcribe'>;
}

/** Wires configuration, database, city profile, classifier, flow engine and outbox; no channel yet. */
export async function createApp(options: CreateAppOptions = {}): Promise<App> {
  const config = options.config ?? loadConfig();
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  setLogger(log);
  const profile = loadCityProfile(config.CITY_PROFILE);
  securePrivateTree(config.DATA_DIR);
  // SQLite through `prisma migrate deploy`, PostgreSQL through db/migrate-postgres.ts (under an advisory lock, so
  // several processes starting at once on an empty database migrate it once).
  if (!options.skipMigrations) await migrateDatabase(config.DATABASE_URL);
  const db = await openDatabase(config.DATABASE_URL);
  // One message per conversation at a time across processes on PostgreSQL; a no-op on SQLite (one bot process).
  const conversationLock = createConversationLock(db, { log });
  await seedCityProfile(db, profile);
  const fallbackClassifier = new KeywordClassifier(profile);
  const classifier = options.classifier ?? (await createClassifier({ config, profile, log }));
  const calendar = WorkingCalendar.fromProfile(profile);
  const boundary = loadBoundary(config, log);
  const messageReader = options.messageReader ?? (await createMessageReader({ config, profile, log }));
  const engine = new FlowEngine({
    db,
    profile,
    classifier,
    fallbackClassifier,
    log,
    maxMessageLength: config.MAX_MESSAGE_LENGTH,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    clock: options.clock,
    calendar,
    caseFiledHooks: options.caseFiledHooks,
    dataDir: config.DATA_DIR,
    conversationLock,
    handlers: createPipeline({
      profile,
      calendar,
      log,
      dataDir: config.DATA_DIR,
      whatsappAccount: config.WHATSAPP_ACCOUNT,
      transcriber: options.transcriber ?? createTranscriber(config, log),
      maxVoiceSeconds: config.STT_MAX_DURATION_SECONDS,
    }),
    boundary,
    messageReader,
    publicBaseUrl: config.PUBLIC_BASE_URL,
  });
  const flood =
    options.floodControl === false
      ? undefined
      : withFloodControl(engine.handle, {
          ...options.floodControl,
          language: async (key) => (await loadConversation<Partial<CitizenState>>(db, key, () => ({}))).state.lang ?? 'id',
          onFlood: (info) => log.info(info, 'flood control: holding messages, only the last one is processed'),
        });
  const outbox = new OutboxDispatcher<Reply>(db, log, {
    clock: options.clock,
    settle: settleUndeliverable(db, { whatsappAccount: config.WHATSAPP_ACCOUNT, log }),
  });
  return {
    config,
    profile,
    db,
    log,
    classifier,
    calendar,
    engine,
    conversationLock,
    handle: flood?.handle ?? engine.handle,
    outbox,
    flood,
    async close() {
      await flood?.flush();
      await outbox.stop();
      await conversationLock.close();
      await db.$disconnect();
    },
  };
}

/** The boundary files named in the configuration; without them a shared pin keeps only its coordinates. */
function loadBoundary(config: Config, log: Logger): CityBoundary | undefined {
  if (!config.BOUNDARY_FILE) return undefined;
  // A wrong path or a broken file stops the start: a city that configured its boundary expects it to work.
  const boundary = GeoJsonBoundary.load(config.BOUNDARY_FILE, config.BOUNDARY_NEARBY_FILE);
  log.info({ kelurahan: boundary.kelurahanCount, nearby: Boolean(config.BOUNDARY_NEARBY_FILE) }, 'city boundary loaded');
  return boundary;
}
