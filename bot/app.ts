import { loadConfig, type Config } from '../lib/config.ts';
import { loadCityProfile, type CityProfile } from '../lib/city-profile.ts';
import { createLogger, setLogger, type Logger } from '../lib/logger.ts';
import { openDatabase, type Db } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { seedCityProfile } from '../db/seed-city.ts';
import { OutboxDispatcher } from '../db/outbox.ts';
import { FlowEngine } from '../flows/engine.ts';
import { KeywordClassifier } from '../nlp/keyword-classifier.ts';
import { createClassifier, createMessageReader } from '../nlp/create-classifier.ts';
import { GeoJsonBoundary, type CityBoundary } from '../lib/geo.ts';
import type { MessageReader } from '../nlp/read-message.ts';
import type { Classifier } from '../nlp/classifier.ts';
import { WorkingCalendar } from '../lib/working-days.ts';
import { verificationDeadlineHook } from '../db/deadlines.ts';
import { registerStatistikCommand } from '../flows/statistik-command.ts';
import { installCaseLifecycle } from '../flows/install-case-lifecycle.ts';
import { installFloodControl, type FloodControl, type FloodControlOptions } from '../flows/flood-control.ts';
import { loadConversation } from '../db/conversations.ts';
import type { CitizenState } from '../flows/types.ts';

export interface App {
  config: Config;
  profile: CityProfile;
  db: Db;
  log: Logger;
  classifier: Classifier;
  calendar: WorkingCalendar;
  engine: FlowEngine;
  outbox: OutboxDispatcher;
  /** In front of engine.handle for every channel; undefined when disabled (tests). */
  flood?: FloodControl;
  close(): Promise<void>;
}

export interface CreateAppOptions {
  config?: Config;
  /** Skip `prisma migrate deploy` (tests start from an already migrated copy). */
  skipMigrations?: boolean;
  log?: Logger;
  clock?: () => Date;
  classifier?: Classifier;
  /** Replaces the LLM reader of first messages built from the configuration (tests). */
  messageReader?: MessageReader;
  /** Flood-control limits (flows/flood-control.ts), or false to turn it off (tests that fire messages fast). */
  floodControl?: Omit<FloodControlOptions, 'language' | 'onFlood'> | false;
}

/** Wires configuration, database, city profile, classifier, flow engine and outbox; no channel yet. */
export async function createApp(options: CreateAppOptions = {}): Promise<App> {
  const config = options.config ?? loadConfig();
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  setLogger(log);
  const profile = loadCityProfile(config.CITY_PROFILE);
  if (!options.skipMigrations) applyMigrations(config.DATABASE_URL);
  const db = await openDatabase(config.DATABASE_URL);
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
    caseFiledHooks: [verificationDeadlineHook(calendar)],
    boundary,
    messageReader,
  });
  // Interceptors run in this order: /statistik (admins only), then the admin commands (which leave /statistik
  // to it), then the citizen's follow-up; whatever none of them takes goes to the intake flow.
  registerStatistikCommand(engine, { calendar, dataDir: config.DATA_DIR, cityName: profile.name, log });
  installCaseLifecycle(engine, { profile, calendar, log });
  const flood =
    options.floodControl === false
      ? undefined
      : installFloodControl(engine, {
          ...options.floodControl,
          language: async (key) => (await loadConversation<Partial<CitizenState>>(db, key, () => ({}))).state.lang ?? 'id',
          onFlood: (info) => log.info(info, 'flood control: holding messages, only the last one is processed'),
        });
  const outbox = new OutboxDispatcher(db, log, options.clock);
  return {
    config,
    profile,
    db,
    log,
    classifier,
    calendar,
    engine,
    outbox,
    flood,
    async close() {
      await flood?.flush();
      await outbox.stop();
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
