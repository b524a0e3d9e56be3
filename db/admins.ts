import type { Db } from './client.ts';
import type { Tx } from './file-case.ts';

/** The two admin roles (domain/case-status.ts ADMIN_ROLES; db/ keeps its own copy of the type). */
export type AdminRole = 'instansi' | 'penghubung';
import { AppError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';

export interface AdminRecord {
  id: string;
  name: string;
  role: AdminRole;
  opdCode: string | null;
  conversationKey: string;
}

export type AdminErrorCode = 'ADMIN_ROLE_INVALID' | 'ADMIN_OPD_REQUIRED' | 'ADMIN_OPD_UNKNOWN' | 'ADMIN_KEY_INVALID' | 'ADMIN_NOT_FOUND' | 'ADMIN_LAST_INSTANSI' | 'ADMIN_NAME_REQUIRED';

export class AdminError extends AppError {
  declare readonly code: AdminErrorCode;
  constructor(code: AdminErrorCode, message: string) {
    super(code, message);
    this.name = 'AdminError';
  }
}

type Reader = Tx | Db;

const toRecord = (row: { id: string; name: string; role: string; opdCode: string | null; conversationKey: string }): AdminRecord => ({
  id: row.id,
  name: row.name,
  role: row.role as AdminRole,
  opdCode: row.opdCode,
  conversationKey: row.conversationKey,
});

/** The active admin behind a conversation, or null (removed admins are ordinary citizens again). */
export async function findActiveAdmin(db: Reader, conversationKey: string): Promise<AdminRecord | null> {
  const row = await db.admin.findFirst({ where: { conversationKey, removedAt: null } });
  return row ? toRecord(row) : null;
}

export async function listActiveAdmins(db: Reader, filter: { role?: AdminRole; opdCode?: string } = {}): Promise<AdminRecord[]> {
  const rows = await db.admin.findMany({ where: { removedAt: null, ...filter }, orderBy: [{ role: 'asc' }, { opdCode: 'asc' }, { name: 'asc' }] });
  return rows.map(toRecord);
}

export interface AddAdminRequest {
  role: string;
  opdCode?: string | null;
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
  if (role === 'penghubung') {
    if (!request.opdCode) throw new AdminError('ADMIN_OPD_REQUIRED', 'an admin penghubung needs an OPD code');
    const opd = await db.opd.findFirst({ where: { code: { equals: request.opdCode.toUpperCase() } } });
    if (!opd) throw new AdminError('ADMIN_OPD_UNKNOWN', `unknown OPD code "${request.opdCode}"`);
    opdCode = opd.code;
  }
  const row = await db.admin.upsert({
    where: { conversationKey: request.conversationKey },
    create: { id: newId(), name, role, opdCode, conversationKey: request.conversationKey, createdBy: request.createdBy ?? null },
    update: { name, role, opdCode, removedAt: null, createdBy: request.createdBy ?? null },
  });
  return toRecord(row);
}

/** Removes an admin (kept with removedAt for the history of who did what); the last admin instansi stays. */
export async function removeAdmin(db: Db, conversationKey: string, now: Date): Promise<AdminRecord> {
  return db.$transaction(async (tx) => {
    const admin = await findActiveAdmin(tx, conversationKey);
    if (!admin) throw new AdminError('ADMIN_NOT_FOUND', `no active admin on ${conversationKey}`);
    if (admin.role === 'instansi') {
      const others = await tx.admin.count({ where: { role: 'instansi', removedAt: null, NOT: { id: admin.id } } });
      if (others === 0) throw new AdminError('ADMIN_LAST_INSTANSI', 'the last admin instansi cannot be removed');
    }
    await tx.admin.update({ where: { id: admin.id }, data: { removedAt: now } });
    return admin;
  });
}
