import { databaseInfo, type Db } from '../../db/client.ts';

/**
 * Makes every write fail, as on a full or broken disk, whichever path the write takes; returns the undo.
 * SQLite: PRAGMA query_only on the one connection. PostgreSQL (a pool of connections): a statement trigger on
 * every table that raises, so reads keep working and every INSERT/UPDATE/DELETE fails.
 */
export async function breakWrites(db: Db): Promise<() => Promise<void>> {
  if (databaseInfo(db).provider === 'sqlite') {
    await db.$queryRawUnsafe('PRAGMA query_only = ON');
    return async () => {
      await db.$queryRawUnsafe('PRAGMA query_only = OFF');
    };
  }
  const tables = (await db.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
  )).map((t) => t.name);
  await db.$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION lapor_test_fail_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: writes are broken'; END $$`,
  );
  for (const table of tables) {
    await db.$executeRawUnsafe(
      `CREATE TRIGGER lapor_test_fail_write BEFORE INSERT OR UPDATE OR DELETE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION lapor_test_fail_write()`,
    );
  }
  return async () => {
    for (const table of tables) await db.$executeRawUnsafe(`DROP TRIGGER lapor_test_fail_write ON "${table}"`);
  };
}
