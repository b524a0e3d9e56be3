import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError, type Config } from '../lib/config.ts';
import { loadCityProfile, type CityProfile } from '../lib/city-profile.ts';
import { openDatabase, type Db } from '../db/client.ts';
import { WorkingCalendar } from '../lib/working-days.ts';

/** Ends a script with its usage text: on stdout with exit code 0 for --help, after `message` on stderr with 2 otherwise. */
export class UsageError extends Error {
  constructor(
    message = '',
    readonly help = false,
  ) {
    super(message);
  }
}

/** parseArgs with the scripts' conventions: -h/--help and unknown or malformed options end in a UsageError. */
export function parseOptions<T extends ParseArgsConfig['options']>(options: T) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } as const });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) throw new UsageError('', true);
  return parsed.values;
}

/** Config, city profile, working calendar and an open database for one script run; disconnected afterwards. */
export async function withCityDatabase<R>(
  run: (context: { config: Config; profile: CityProfile; calendar: WorkingCalendar; db: Db }) => Promise<R>,
): Promise<R> {
  const config = loadConfig();
  const profile = loadCityProfile(config.CITY_PROFILE);
  const db = await openDatabase(config.DATABASE_URL);
  try {
    return await run({ config, profile, calendar: WorkingCalendar.fromProfile(profile), db });
  } finally {
    await db.$disconnect();
  }
}

/**
 * Runs a script's main and sets the exit code: 0 when it finishes, 2 with the usage for a UsageError, 1 with the
 * message for a configuration error, 1 with the stack for anything else.
 */
export function runCli(name: string, usage: string, main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        if (err.help) process.stdout.write(`${usage}\n`);
        else process.stderr.write(`${err.message ? `${err.message}\n` : ''}${usage}\n`);
        process.exitCode = err.help ? 0 : 2;
        return;
      }
      process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${name} failed: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
