import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('database schema', () => {
  it('is portable: the same models generate a PostgreSQL migration', () => {
    const schema = fs.readFileSync(path.join(ROOT, 'db/schema.prisma'), 'utf8');
    const pg = schema
      .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
      .replace(/url\s*=\s*"file:[^"]*"/, 'url = "postgresql://lapor@localhost/lapor"');
    expect(pg).not.toBe(schema);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pg-schema-')), 'schema.prisma');
    fs.writeFileSync(file, pg);
    const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
    const result = spawnSync(process.execPath, [cli, 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', file, '--script'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/CREATE TABLE "Case"/);
    expect(result.stdout).toMatch(/JSONB/);
    // Native enums or SQLite-only SQL would make this schema SQLite-specific.
    expect(schema).not.toMatch(/^\s*enum\s/m);
    expect(schema).not.toMatch(/@db\./);
  });
});
