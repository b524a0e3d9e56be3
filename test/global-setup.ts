import type {} from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../db/migrate.ts';

/**
 * Migrates one template database per test run; each test copies it (milliseconds) instead of running
 * `prisma migrate deploy` itself (seconds).
 */
export async function setup({ provide }: { provide: (key: string, value: string) => void }): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-test-'));
  const template = path.join(dir, 'template.db');
  await applyMigrations(`file:${template}`);
  provide('templateDb', template);
  process.env.LAPOR_TEMPLATE_DB = template;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
  }
}
