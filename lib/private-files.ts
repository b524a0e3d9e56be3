import fs from 'node:fs';
import path from 'node:path';

/**
 * The bot's files hold citizens' data (photos, reports) and, in the database, the WhatsApp session keys: anyone who
 * can read them can read the reports or take over the city's WhatsApp number. So they are the service user's alone:
 * folders 0700, files 0600, whatever the umask, and files created before this rule are tightened at start.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** SQLite's companions of a database file: write-ahead log, shared-memory index, rollback journal. */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

function chmodIfLooser(file: string, mode: number, stat?: fs.Stats): void {
  const current = (stat ?? fs.statSync(file)).mode & 0o777;
  if ((current & ~mode) !== 0) fs.chmodSync(file, current & mode);
}

/** Creates a folder (and missing parents) 0700; an existing one is tightened. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodIfLooser(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes sure a SQLite database file exists with mode 0600 before SQLite (or `prisma migrate deploy`) opens it:
 * SQLite creates its -wal and -shm files with the database file's permissions. Existing files are tightened.
 */
export function ensurePrivateDatabaseFile(file: string): void {
  // A missing folder is created 0700; an existing one is left alone (DATABASE_URL may point into /var/lib).
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
  for (const candidate of [file, ...SQLITE_COMPANIONS.map((suffix) => `${file}${suffix}`)]) {
    try {
      chmodIfLooser(candidate, PRIVATE_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/**
 * Creates the data folder 0700 and tightens everything already under it (folders 0700, files 0600), for data
 * written before this rule or copied in from a backup. Symbolic links are not followed.
 */
export function securePrivateTree(root: string): void {
  ensurePrivateDir(root);
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        chmodIfLooser(full, PRIVATE_DIR_MODE);
        pending.push(full);
      } else if (entry.isFile()) {
        chmodIfLooser(full, PRIVATE_FILE_MODE);
      }
    }
  }
}
