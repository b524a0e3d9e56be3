import type { Db } from '../db/client.ts';
import { AdminError, saveAdmin, type AddAdminRequest, type AdminRecord } from '../db/admins.ts';
import { ADMIN_ROLES, type AdminRole } from '../domain/case-status.ts';
import { adminKeyProblem } from '../domain/delivery-route.ts';

export { AdminError, type AdminRecord } from '../db/admins.ts';

export interface AddAdminOptions {
  /** WHATSAPP_ACCOUNT: a wa: key must be of this account ("main", the configuration's default, when not given). */
  whatsappAccount?: string;
}

/**
 * Adds an admin, or re-activates/updates the one on that conversation key. Validates role, name, key and OPD.
 * The key must be a private chat this bot can write to (domain/delivery-route.ts adminKeyProblem): alerts carry
 * reporters' names, and a key no sender can take would leave every alert to that admin undelivered.
 */
export async function addAdmin(db: Db, request: AddAdminRequest, options: AddAdminOptions = {}): Promise<AdminRecord> {
  const role = request.role.toLowerCase();
  if (!(ADMIN_ROLES as readonly string[]).includes(role)) throw new AdminError('ADMIN_ROLE_INVALID', `role must be one of ${ADMIN_ROLES.join(', ')}`);
  const name = request.name.trim();
  if (!name) throw new AdminError('ADMIN_NAME_REQUIRED', 'a name is required');
  const problem = adminKeyProblem(request.conversationKey.trim(), options.whatsappAccount ?? 'main');
  if (problem) throw new AdminError(problem.code, problem.detail);
  return saveAdmin(db, { ...request, conversationKey: request.conversationKey.trim(), role: role as AdminRole, name });
}
