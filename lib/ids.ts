import { randomUUID } from 'node:crypto';

/** Primary keys: random UUIDs, portable across SQLite and PostgreSQL and safe to expose in logs. */
export function newId(): string {
  return randomUUID();
}
