import type { FlowEngine } from './engine.ts';
import { alertNewCase } from '../cases/change-case.ts';
import { createAdminInterceptor, type AdminInterfaceDeps } from './admin/admin-handler.ts';
import { createFollowUpInterceptor } from './citizen/citizen-follow-up.ts';

/**
 * Adds the case lifecycle to an engine: admin commands, the citizen's follow-up (puas / belum / rating /
 * added information) and the new-case alert to every admin instansi, written in the filing transaction.
 */
export function installCaseLifecycle(engine: FlowEngine, deps: AdminInterfaceDeps): void {
  engine.interceptors.push(createAdminInterceptor(deps), createFollowUpInterceptor(deps));
  engine.caseFiledHooks.push(async (tx, filed) => alertNewCase(tx, filed.id));
}
