import type { Db } from '../db/client.ts';
import { AdminError, saveAdmin, type AddAdminRequest, type AdminRecord } from '../db/admins.ts';
import { ADMIN_ROLES, type AdminRole } from '../domain/case-status.ts';
import { parseConversationKey } from '../domain/conversation-key.ts';

export { AdminError, type AdminRecord } from '../db/admins.ts';

/** Adds an admin, or re-activates/updates the one on that conversation key. Validates role, name, key and OPD. */
export async function addAdmin(db: Db, request: AddAdminRequest): Promise<AdminRecord> {
  const role = request.role.toLowerCase();
  if (!(ADMIN_ROLES as readonly string[]).includes(role)) throw new AdminError('ADMIN_ROLE_INVALID', `role must be one of ${ADMIN_ROLES.join(', ')}`);
  const name = request.name.trim();
  if (!name) throw new AdminError('ADMIN_NAME_REQUIRED', 'a name is required');
  try {
    parseConversationKey(request.conversationKey);
  } catch {
    throw new AdminError('ADMIN_KEY_INVALID', `"${request.conversationKey}" is not a conversation key (tg:<chat id>, wa:<account>:<jid>, term:<name>)`);
  }
  return saveAdmin(db, { ...request, role: role as AdminRole, name });
}
