import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { createTestApp } from './helpers/test-app.ts';

// Issue 12 #10: data/, the database (it holds the WhatsApp session keys) with SQLite's -wal/-shm, and attachments
// are the service user's alone: folders 0700, files 0600; what exists from before is tightened at start.
const mode = (file: string) => fs.statSync(file).mode & 0o777;

let root: string;
let umask: number;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-perm-'));
  umask = process.umask(0o022); // a typical server umask: new files 0644, folders 0755 unless we say otherwise
});
afterEach(() => {
  process.umask(umask);
  fs.rmSync(root, { recursive: true, force: true });
});

describe('file permissions', () => {
  it('a new database folder is 0700 and the database, its -wal and -shm are 0600', async () => {
    const file = path.join(root, 'data', 'lapor.db');
    const db = await openDatabase(`file:${file}`);
    try {
      await db.$executeRawUnsafe('CREATE TABLE t (x)'); // a write, so the WAL exists
      expect(mode(path.join(root, 'data'))).toBe(0o700);
      for (const f of [file, `${file}-wal`, `${file}-shm`]) {
        expect(fs.existsSync(f), f).toBe(true);
        expect(mode(f), f).toBe(0o600);
      }
    } finally {
      await db.$disconnect();
    }
  });

  it('existing data from before is tightened at start (data folder, database files, attachments)', async () => {
    const dataDir = path.join(root, 'data');
    const month = path.join(dataDir, 'attachments', '2026-11');
    fs.mkdirSync(month, { recursive: true, mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    const dbFile = path.join(dataDir, 'lapor.db');
    fs.copyFileSync(inject('templateDb'), dbFile);
    fs.writeFileSync(`${dbFile}-wal`, '');
    fs.writeFileSync(path.join(month, 'old.jpg'), 'x');
    for (const f of [dbFile, `${dbFile}-wal`, path.join(month, 'old.jpg')]) fs.chmodSync(f, 0o644);

    const app = await createTestApp({ database: { dir: dataDir, databaseUrl: `file:${dbFile}` } });
    try {
      for (const d of [dataDir, path.join(dataDir, 'attachments'), month]) expect(mode(d), d).toBe(0o700);
      for (const f of [dbFile, `${dbFile}-wal`, path.join(month, 'old.jpg')]) expect(mode(f), f).toBe(0o600);
    } finally {
      await app.close();
    }
  });
});
