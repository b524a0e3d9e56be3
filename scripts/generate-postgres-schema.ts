import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One Prisma schema cannot serve two providers (`env()` is refused in `provider`, and migrations are
 * provider-specific), so db/postgres/schema.prisma is generated from db/schema.prisma, the one we edit.
 *
 *   npm run schema:postgres            rewrites db/postgres/schema.prisma
 *   npm run schema:postgres -- --check exits 1 when the committed file is out of date (test/postgres-schema.test.ts)
 *
 * The models are copied verbatim: db/schema.prisma keeps to types both providers share (no native enums, no @db.*).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SQLITE_SCHEMA = path.join(ROOT, 'db', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(ROOT, 'db', 'postgres', 'schema.prisma');

/**
 * The CLI's fallback URL. It is never used to connect (the app and db/migrate-postgres.ts use the pg driver), but
 * it must be a literal: with `env("…")` unset, `prisma generate` tries to download an engine and fails offline.
 */
export const PLACEHOLDER_URL = 'postgresql://localhost:5432/lapor';

export class SchemaGenerationError extends Error {
  readonly code = 'SCHEMA_GENERATION_FAILED';
}

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  if (!pattern.test(text)) throw new SchemaGenerationError(`db/schema.prisma: ${what} not found`);
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema for a SQLite schema text: provider, URL and client output change; models stay. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  const body = sqliteSchema.replace(/^(\/\/.*\n)+\n?/, '');
  // The datasource's comments speak of SQLite; ours replaces them.
  const withoutComments = body.replace(/(datasource\s+db\s*\{)([^}]*)\}/, (_, open: string, inner: string) =>
    `${open}${inner.replace(/^\s*\/\/.*\n/gm, '')}}`,
  );
  let schema = replaceOnce(withoutComments, /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'the sqlite provider');
  schema = replaceOnce(
    schema,
    /(datasource\s+db\s*\{[^}]*?)(\n\s*)(url\s*=\s*)"[^"]*"/,
    `$1$2// Never used to connect (db/client.ts uses @prisma/adapter-pg, db/migrate-postgres.ts migrates); a literal,$2// not env(), keeps \`prisma generate\` offline.$2$3"${PLACEHOLDER_URL}"`,
    'the datasource url',
  );
  schema = replaceOnce(schema, /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/, '$1"../generated/postgres"', 'the client output');
  return [
    '// GENERATED from db/schema.prisma by scripts/generate-postgres-schema.ts (npm run schema:postgres).',
    '// Do not edit: change db/schema.prisma, regenerate, and add a migration under db/postgres/migrations',
    '// (docs/deploy.md, "PostgreSQL migrations").',
    '',
    schema,
  ].join('\n');
}

function main(): void {
  const expected = postgresSchemaFrom(fs.readFileSync(SQLITE_SCHEMA, 'utf8'));
  const current = fs.existsSync(POSTGRES_SCHEMA) ? fs.readFileSync(POSTGRES_SCHEMA, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== expected) {
      process.stderr.write('db/postgres/schema.prisma is out of date: run `npm run schema:postgres`\n');
      process.exitCode = 1;
    }
    return;
  }
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  fs.writeFileSync(POSTGRES_SCHEMA, expected);
  process.stdout.write(`${current === expected ? 'unchanged' : 'written'}: ${path.relative(ROOT, POSTGRES_SCHEMA)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
