import { postgresDirect, sqliteDirect, type Db } from './client.ts';
import { postgresTimestamp, type PostgresDirect } from './postgres-direct.ts';
import { sqliteTimestamp, type SqliteDirect } from './sqlite-direct.ts';
import { DUPLICATE_RADIUS_METERS, DUPLICATE_WINDOW_DAYS } from '../lib/duplicate-rules.ts';

/**
 * Most candidates looked at per lookup. A kelurahan with a hot topic (a flood) can have hundreds of open cases of
 * one OPD in a month; the newest are the ones a citizen would recognise, and the text comparison after this query
 * stays well under a millisecond at this size.
 */
export const DUPLICATE_CANDIDATE_LIMIT = 200;
const DAY_MS = 86_400_000;
const METERS_PER_DEGREE_LAT = 111_320;

export interface DuplicateQuery {
  /** The statuses that count as open (domain/case-status.ts OPEN_STATUSES; db/ does not decide lifecycle groups). */
  openStatuses: readonly string[];
  opdCode?: string | null;
  categoryCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  kelurahan?: string | null;
  now?: Date;
  /** The draft's own case, if it was already filed (never its own duplicate). */
  excludeCaseId?: string;
  /** The asking citizen's chat: their own cases are not offered to them as someone else's report. */
  excludeConversationKey?: string;
  radiusMeters?: number;
  windowDays?: number;
  limit?: number;
}

/**
 * What the duplicate check needs of an open case. Deliberately no reporter and no conversation: the citizen may be
 * shown tracking id, category, status and age, never who reported it; `privacy` lets the caller hide a rahasia
 * case's content (its description is used only for the text comparison).
 */
export interface DuplicateCandidate {
  id: string;
  trackingId: string;
  description: string;
  categoryCode: string | null;
  opdCode: string | null;
  status: string;
  privacy: string;
  latitude: number | null;
  longitude: number | null;
  kelurahan: string | null;
  submittedAt: Date;
}

const SELECT = {
  id: true,
  trackingId: true,
  description: true,
  categoryCode: true,
  opdCode: true,
  status: true,
  privacy: true,
  latitude: true,
  longitude: true,
  kelurahan: true,
  submittedAt: true,
} as const;

/** A latitude/longitude box a little larger than the circle (haversine in nlp/find-similar-cases.ts trims it). */
export function boundingBox(latitude: number, longitude: number, radiusMeters: number) {
  const dLat = radiusMeters / METERS_PER_DEGREE_LAT;
  const dLng = radiusMeters / (METERS_PER_DEGREE_LAT * Math.max(0.01, Math.cos((latitude * Math.PI) / 180)));
  return { minLat: latitude - dLat, maxLat: latitude + dLat, minLng: longitude - dLng, maxLng: longitude + dLng };
}

const COLUMNS = ['id', 'trackingId', 'description', 'categoryCode', 'opdCode', 'status', 'privacy', 'latitude', 'longitude', 'kelurahan', 'submittedAt']
  .map((c) => `"${c}"`)
  .join(', ');
/**
 * The statements Prisma would send for the two lookups below, for the fast paths: quoted identifiers and `?`
 * parameters as SQLite takes them; PostgreSQL gets the same text with numbered parameters (numbered()).
 */
const SQL = {
  box: `SELECT ${COLUMNS} FROM "Case" WHERE "latitude" >= ? AND "latitude" <= ? AND "longitude" >= ? AND "longitude" <= ?
          AND "submittedAt" >= ? AND ("opdCode" = ? OR "categoryCode" = ?) AND "id" <> ? AND "mergedIntoId" IS NULL
          AND "conversationKey" <> ? ORDER BY "submittedAt" DESC LIMIT ?`,
  kelurahan: (statuses: readonly string[]) => `SELECT ${COLUMNS} FROM "Case" WHERE "kelurahan" = ? AND "submittedAt" >= ?
          AND "status" IN (${statusList(statuses)}) AND ("opdCode" = ? OR "categoryCode" = ?) AND "id" <> ?
          AND "mergedIntoId" IS NULL AND "conversationKey" <> ? ORDER BY "submittedAt" DESC LIMIT ?`,
};

/** Status names inlined as literals (they are code constants, filtered to [a-z_] all the same). */
const statusList = (statuses: readonly string[]) => statuses.map((s) => `'${s.replace(/[^a-z_]/g, '')}'`).join(', ');

/** PostgreSQL's numbered parameters for a statement written with `?` (the SQL above has no other question marks). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};
const PG_BOX = numbered(SQL.box);

type Row = Omit<DuplicateCandidate, 'submittedAt'> & { submittedAt: string };

/**
 * Open cases of the same OPD or category filed in the last 30 days, either within the radius's bounding box or in
 * the same kelurahan; nlp/find-similar-cases.ts (called by the cases layer) then decides which are likely duplicates. Two simple queries instead
 * of one with OR, so each can use its own index (Case_latitude_longitude_idx, Case_kelurahan_submittedAt_opdCode_categoryCode_status_idx) on
 * SQLite and PostgreSQL alike.
 */
export async function findDuplicateCandidates(db: Db, query: DuplicateQuery): Promise<DuplicateCandidate[]> {
  if (!query.opdCode && !query.categoryCode) return [];
  const now = query.now ?? new Date();
  const lookup: Lookup = {
    query,
    since: new Date(now.getTime() - (query.windowDays ?? DUPLICATE_WINDOW_DAYS) * DAY_MS),
    limit: query.limit ?? DUPLICATE_CANDIDATE_LIMIT,
    box:
      typeof query.latitude === 'number' && typeof query.longitude === 'number'
        ? boundingBox(query.latitude, query.longitude, query.radiusMeters ?? DUPLICATE_RADIUS_METERS)
        : undefined,
  };
  const direct = sqliteDirect(db);
  const pgDirect = postgresDirect(db);
  const batches =
    direct && !direct.busy ? await fetchDirect(direct, lookup) : pgDirect ? await fetchPostgres(pgDirect, lookup) : await fetchWithPrisma(db, lookup);
  const open = new Set(query.openStatuses);
  const seen = new Set<string>();
  const merged: DuplicateCandidate[] = [];
  for (const rows of batches) {
    for (const row of rows) {
      if (seen.has(row.id) || !open.has(row.status)) continue;
      seen.add(row.id);
      merged.push(row);
    }
  }
  return merged;
}

interface Lookup {
  query: DuplicateQuery;
  since: Date;
  limit: number;
  box?: ReturnType<typeof boundingBox>;
}

/**
 * Prisma's own connection with prepared statements: the lookup runs at every summary step, and Prisma's per-query
 * CPU (query compilation, row mapping) was most of its cost in npm run bench:duplicates.
 */
async function fetchDirect(direct: SqliteDirect, { query, since, limit, box }: Lookup): Promise<DuplicateCandidate[][]> {
  // "= NULL" never matches, so a missing OPD or category simply drops out of the OR; ids are never empty.
  const opd = query.opdCode ?? null;
  const category = query.categoryCode ?? null;
  const exclude = query.excludeCaseId ?? '';
  const chat = query.excludeConversationKey ?? '';
  const at = sqliteTimestamp(since);
  const batches = await direct.run(() => [
    box ? (direct.statement(SQL.box).all(box.minLat, box.maxLat, box.minLng, box.maxLng, at, opd, category, exclude, chat, limit) as Row[]) : [],
    query.kelurahan ? (direct.statement(SQL.kelurahan(query.openStatuses)).all(query.kelurahan, at, opd, category, exclude, chat, limit) as Row[]) : [],
  ]);
  return batches.map((rows) => rows.map((r) => ({ ...r, submittedAt: new Date(r.submittedAt) })));
}

/** PostgreSQL: the lookup runs at every summary step; prepared statements on Prisma's pool skip its per-query CPU. */
async function fetchPostgres(direct: PostgresDirect, { query, since, limit, box }: Lookup): Promise<DuplicateCandidate[][]> {
  const opd = query.opdCode ?? null;
  const category = query.categoryCode ?? null;
  const exclude = query.excludeCaseId ?? '';
  const chat = query.excludeConversationKey ?? '';
  const at = postgresTimestamp(since);
  const statuses = numbered(SQL.kelurahan(query.openStatuses));
  return Promise.all([
    box ? direct.query<DuplicateCandidate>('duplicates_box', PG_BOX, [box.minLat, box.maxLat, box.minLng, box.maxLng, at, opd, category, exclude, chat, limit]) : [],
    query.kelurahan
      ? direct.query<DuplicateCandidate>(`duplicates_kelurahan_${query.openStatuses.length}_${hashOf(statuses)}`, statuses, [query.kelurahan, at, opd, category, exclude, chat, limit])
      : [],
  ]).then((batches) => batches.map((rows) => rows.map((r) => ({ ...r, submittedAt: utcDate(r.submittedAt) }))));
}

/** pg reads timestamp(3) as local time; Prisma stores UTC there, so read the wall-clock fields as UTC. */
function utcDate(value: Date): Date {
  return new Date(Date.UTC(value.getFullYear(), value.getMonth(), value.getDate(), value.getHours(), value.getMinutes(), value.getSeconds(), value.getMilliseconds()));
}

/** A short stable name for a statement text (prepared statements are named per distinct SQL). */
function hashOf(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** The same two lookups through Prisma, for PostgreSQL (and SQLite while a transaction holds the connection). */
async function fetchWithPrisma(db: Db, { query, since, limit, box }: Lookup): Promise<DuplicateCandidate[][]> {
  const common = {
    submittedAt: { gte: since },
    OR: [...(query.opdCode ? [{ opdCode: query.opdCode }] : []), ...(query.categoryCode ? [{ categoryCode: query.categoryCode }] : [])],
    ...(query.excludeCaseId ? { id: { not: query.excludeCaseId } } : {}),
    mergedIntoId: null,
    ...(query.excludeConversationKey ? { conversationKey: { not: query.excludeConversationKey } } : {}),
  };
  return Promise.all([
    box
      ? db.case.findMany({
          // No status condition here: SQLite, without statistics, would then walk Case_status_idx (every open
          // case) instead of the coordinates index. Closed cases in a 300 m box over 30 days are few; dropped above.
          where: { ...common, latitude: { gte: box.minLat, lte: box.maxLat }, longitude: { gte: box.minLng, lte: box.maxLng } },
          select: SELECT,
          orderBy: { submittedAt: 'desc' },
          take: limit,
        })
      : [],
    query.kelurahan
      ? db.case.findMany({
          where: { ...common, kelurahan: query.kelurahan, status: { in: [...query.openStatuses] } },
          select: SELECT,
          orderBy: { submittedAt: 'desc' },
          take: limit,
        })
      : [],
  ]);
}
