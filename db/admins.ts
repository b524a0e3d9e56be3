import { postgresDirect, type Db } from './client.ts';
import type { Tx } from './file-case.ts';

/** The two admin roles (domain/case-status.ts ADMIN_ROLES; db/ keeps its own copy of the type). */
export type AdminRole = 'instansi' | 'penghubung';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { dropQueuedForAdmin } from './outbox.ts';

export interface AdminRecord {
  id: string;
  name: string;
  role: AdminRole;
  opdCode: string | null;
  /** Set for a unit's admin penghubung; opdCode is then the unit's OPD. */
  unitCode: string | null;
  conversationKey: string;
}

export type AdminErrorCode =
  | 'ADMIN_ROLE_INVALID'
  | 'ADMIN_OPD_REQUIRED'
  | 'ADMIN_OPD_UNKNOWN'
  | 'ADMIN_UNIT_UNKNOWN'
  | 'ADMIN_UNIT_NOT_UNDER_OPD'
  | 'ADMIN_UNIT_NOT_FOR_INSTANSI'
  | 'ADMIN_KEY_INVALID'
  /** A wa: key of another WhatsApp account than this bot's (WHATSAPP_ACCOUNT). */
  | 'ADMIN_KEY_OTHER_ACCOUNT'
  /** A group, broadcast list or channel: alerts carry reporters' names and go to one person's private chat only. */
  | 'ADMIN_KEY_NOT_PRIVATE'
  | 'ADMIN_NOT_FOUND'
  | 'ADMIN_LAST_INSTANSI'
  | 'ADMIN_NAME_REQUIRED';

export class AdminError extends AppError {
  declare readonly code: AdminErrorCode;
  constructor(code: AdminErrorCode, message: string) {
    super(code, message);
    this.name = 'AdminError';
  }
}

type Reader = Tx | Db;

const toRecord = (row: { id: string; name: string; role: string; opdCode: string | null; unitCode: string | null; conversationKey: string }): AdminRecord => ({
  id: row.id,
  name: row.name,
  role: row.role as AdminRole,
  opdCode: row.opdCode,
  unitCode: row.unitCode,
  conversationKey: row.conversationKey,
});

/**
 * The active admin behind a conversation, or null (removed admins are ordinary citizens again). A unit admin
 * comes with its unitCode; every reader scopes it through domain/case-access.ts.
 */
export async function findActiveAdmin(db: Reader, conversationKey: string): Promise<AdminRecord | null> {
  // Asked on many citizens' messages (any that could be an admin's): on PostgreSQL's hot path, one prepared query.
  const direct = postgresDirect(db as Db);
  if (direct) {
    const [found] = await direct.query<AdminRecord>(
      'admin_by_key',
      'SELECT "id", "name", "role", "opdCode", "unitCode", "conversationKey" FROM "Admin" WHERE "conversationKey" = $1 AND "removedAt" IS NULL LIMIT 1',
      [conversationKey],
    );
    return found ? toRecord(found) : null;
  }
  const row = await db.admin.findFirst({ where: { conversationKey, removedAt: null } });
  return row ? toRecord(row) : null;
}

/**
 * Active admins, best sorted for a list. A filter by OPD without `unitCode` means the OPD's own admins
 * (unitCode null), not its units' admins: alerts about an OPD's cases must not reach every puskesmas.
 */
export async function listActiveAdmins(db: Reader, filter: { role?: AdminRole; opdCode?: string; unitCode?: string | null } = {}): Promise<AdminRecord[]> {
  const unitScope = filter.opdCode !== undefined && !('unitCode' in filter) ? { unitCode: null } : {};
  const rows = await db.admin.findMany({
    where: { removedAt: null, ...unitScope, ...filter },
    orderBy: [{ role: 'asc' }, { opdCode: 'asc' }, { unitCode: 'asc' }, { name: 'asc' }],
  });
  return rows.map(toRecord);
}

export interface AddAdminRequest {
  role: string;
  opdCode?: string | null;
  /** A unit code (PKM-ARJUNO): the admin penghubung of that unit. The OPD may be left out; it is the unit's. */
  unitCode?: string | null;
  name: string;
  conversationKey: string;
  createdBy?: string;
}

/**
 * Stores an admin, or re-activates/updates the one on that conversation key. Role, name and key were checked by
 * cases/manage-admins.ts; the OPD is checked here against the OPD table.
 */
export async function saveAdmin(db: Db, request: AddAdminRequest & { role: AdminRole }): Promise<AdminRecord> {
  const { role, name } = request;
  let opdCode: string | null = null;
  let unitCode: string | null = null;
  const wantedUnit = request.unitCode?.trim().toUpperCase();
  if (role === 'instansi' && wantedUnit) throw new AdminError('ADMIN_UNIT_NOT_FOR_INSTANSI', 'an admin instansi works city-wide and has no unit; use --role penghubung for a unit admin');
  if (role === 'penghubung') {
    const unit = wantedUnit ? await db.unit.findFirst({ where: { code: wantedUnit, active: true } }) : null;
    if (wantedUnit && !unit) throw new AdminError('ADMIN_UNIT_UNKNOWN', `unknown unit code "${request.unitCode}" (the units are in the city profile, e.g. KEL-SUMBERSARI, PKM-ARJUNO)`);
    if (!request.opdCode && !unit) throw new AdminError('ADMIN_OPD_REQUIRED', 'an admin penghubung needs an OPD code or a unit code');
    if (request.opdCode) {
      const opd = await db.opd.findFirst({ where: { code: { equals: request.opdCode.trim().toUpperCase() } } });
      if (!opd) throw new AdminError('ADMIN_OPD_UNKNOWN', `unknown OPD code "${request.opdCode}"`);
      opdCode = opd.code;
    }
    if (unit) {
      if (opdCode && unit.opdCode !== opdCode)
        throw new AdminError('ADMIN_UNIT_NOT_UNDER_OPD', `unit ${unit.code} (${unit.name}) belongs to ${unit.opdCode}, not ${opdCode}`);
      opdCode = unit.opdCode;
      unitCode = unit.code;
    }
  }
  const row = await db.admin.upsert({
    where: { conversationKey: request.conversationKey },
    create: { id: newId(), name, role, opdCode, unitCode, conversationKey: request.conversationKey, createdBy: request.createdBy ?? null },
    update: { name, role, opdCode, unitCode, removedAt: null, createdBy: request.createdBy ?? null },
  });
  return toRecord(row);
}

/**
 * Removes an admin (kept with removedAt for the history of who did what); the last admin instansi stays. What is
 * still queued for the admin (alerts with reporters' names, reminders) is dropped in the same transaction: it
 * would otherwise reach someone who no longer works the cases.
 */
export async function removeAdmin(db: Db, conversationKey: string, now: Date): Promise<AdminRecord> {
  return db.$transaction(async (tx) => {
    const admin = await findActiveAdmin(tx, conversationKey);
    if (!admin) throw new AdminError('ADMIN_NOT_FOUND', `no active admin on ${conversationKey}`);
    if (admin.role === 'instansi') {
      const others = await tx.admin.count({ where: { role: 'instansi', removedAt: null, NOT: { id: admin.id } } });
      if (others === 0) throw new AdminError('ADMIN_LAST_INSTANSI', 'the last admin instansi cannot be removed');
    }
    await tx.admin.update({ where: { id: admin.id }, data: { removedAt: now } });
    await dropQueuedForAdmin(tx, admin.id);
    return admin;
  });
}
