import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../lib/errors.ts';
import { resolveDatabaseUrl } from '../lib/database-url.ts';
import { isPostgresUrl } from './postgres-url.ts';

/**
 * On SQLite one bot process owns the database: a second `npm start` would run a second outbox dispatcher, a second
 * daily job and a second WhatsApp socket on the same file. The bot process takes this lock; `npm run admin`,
 * `report`, `export` and `chat` do not, so they keep working beside it. On PostgreSQL several processes are the
 * point, and the lock is a no-op (db/leases.ts and db/conversation-lock.ts coordinate them).
 *
 * The lock is an exclusive SQLite lock on a small file next to the database (`<db>.bot-lock`), held by an open
 * connection for the life of the process: the operating system drops it when the process ends, SIGKILL included,
 * so a crashed bot never leaves a stale lock behind (a pid file would). Written here rather than taken from a
 * lock-file package because those rely on pid files or mtime polling; better-sqlite3 is already a dependency.
 *
 * Wiring (bot/main.ts, before createApp):
 *   const instance = acquireInstanceLock(config.DATABASE_URL);   // throws BotAlreadyRunningError
 *   … on shutdown: instance.release();
 * and print err.message then exit 1 when it throws.
 */

export class BotAlreadyRunningError extends AppError {
  constructor(
    readonly lockFile: string,
    readonly otherPid: number | undefined,
  ) {
    super(
      'BOT_ALREADY_RUNNING',
      `Another bot process${otherPid ? ` (pid ${otherPid})` : ''} is already running on this SQLite database ` +
        `(lock: ${lockFile}). SQLite serves one bot process: stop the other one first. ` +
        '`npm run admin`, `npm run report` and `npm run chat` work beside it; to run several bot processes, use ' +
        'PostgreSQL (docs/deploy.md).',
    );
    this.name = 'BotAlreadyRunningError';
  }
}

export interface InstanceLock {
  /** The lock file, or undefined where no lock is needed (PostgreSQL, an in-memory database). */
  readonly file: string | undefined;
  release(): void;
}

const NO_LOCK: InstanceLock = { file: undefined, release: () => undefined };

/** Takes the one-bot-process lock for this DATABASE_URL, or throws BotAlreadyRunningError naming the holder. */
export function acquireInstanceLock(databaseUrl: string | undefined): InstanceLock {
  if (databaseUrl && isPostgresUrl(databaseUrl)) return NO_LOCK;
  const file = resolveDatabaseUrl(databaseUrl);
  if (file === ':memory:') return NO_LOCK;
  const lockFile = `${file}.bot-lock`;
  const pidFile = `${lockFile}.pid`;
  // timeout 0: a held lock is an answer, not something to wait for.
  const conn = new Database(lockFile, { timeout: 0 });
  try {
    conn.pragma('locking_mode = EXCLUSIVE');
    // The first write takes the exclusive lock, and EXCLUSIVE locking mode keeps it until the connection closes.
    conn.exec('CREATE TABLE IF NOT EXISTS "holder" ("pid" INTEGER); DELETE FROM "holder"');
    conn.prepare('INSERT INTO "holder" ("pid") VALUES (?)').run(process.pid);
  } catch (err) {
    conn.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      // The holder's pid is in a plain file beside the lock (the locked file cannot be read while it is held).
      const pid = Number.parseInt(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : '', 10);
      throw new BotAlreadyRunningError(lockFile, Number.isInteger(pid) ? pid : undefined);
    }
    throw err;
  }
  fs.writeFileSync(pidFile, String(process.pid));
  let released = false;
  return {
    file: lockFile,
    release() {
      if (released) return;
      released = true;
      fs.rmSync(pidFile, { force: true });
      conn.close();
    },
  };
}
