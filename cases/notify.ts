import type { Db } from '../db/client.ts';
import type { Tx } from '../db/file-case.ts';
import type { Reply } from '../domain/messages.ts';
import { parseConversationKey } from '../domain/conversation-key.ts';
import { adminMaySee, adminWarnedOfEmergency, visibleTo, audienceOf, type CaseScope } from '../domain/case-access.ts';
import { adminAlertText, type AlertKind } from '../domain/case-notices.ts';
import { enqueueOutboxRow, type OutboxSender } from '../db/outbox.ts';
import { listActiveAdmins } from '../db/admins.ts';

/** What a channel adapter offers the outbox: it delivers Replies. */
export type NotificationSender = OutboxSender<Reply>;

/** A notice for one chat; written to the outbox in the caller's transaction. */
export interface Notification {
  conversationKey: string;
  reply: Reply;
  caseId?: string;
  /** Unique per logical notice (e.g. "reminder:<case>:<day>"); a second enqueue with it is ignored. */
  dedupeKey?: string;
}

/**
 * Writes a notification in the caller's transaction, so it exists exactly when the change that caused it does.
 * Returns false when a notice with the same dedupe key was written before.
 */
export async function enqueueNotification(tx: Tx | Db, notification: Notification): Promise<boolean> {
  const { channel } = parseConversationKey(notification.conversationKey);
  return enqueueOutboxRow(tx, { ...notification, channel, payload: notification.reply });
}

/** What an admin alert says about a case. */
export interface AlertCase extends CaseScope {
  id: string;
  trackingId: string;
  description: string;
  locationText: string | null;
  lowConfidence: boolean;
  categoryName: string | null;
  opdName: string | null;
  reporterName: string | null;
  urgent?: boolean;
  emergencyKind?: string | null;
  /** Citizens who reported the same problem (CaseSupporter rows). */
  supporterCount?: number;
}

/**
 * Alerts the admins of one audience (every admin instansi, or the admins of the OPD holding the case) who may
 * see the case (domain/case-access.ts), each with what they may see of the reporter.
 */
export async function alertAdmins(
  tx: Tx,
  c: AlertCase,
  to: 'instansi' | 'opd',
  kind: AlertKind,
  extra: { note?: string; fromOpd?: string } = {},
  photoPath?: string,
  /** Address the admins warned of the case as an emergency (domain/case-access.ts), not only those who see it. */
  warnedOfEmergency = kind === 'urgent',
): Promise<void> {
  const admins = to === 'instansi' ? await listActiveAdmins(tx, { role: 'instansi' }) : c.opdCode ? await listActiveAdmins(tx, { role: 'penghubung', opdCode: c.opdCode }) : [];
  for (const admin of admins) {
    // An urgent case's OPD is warned before it is forwarded (domain/case-access.ts); every other alert needs access.
    const mayKnow = warnedOfEmergency ? adminWarnedOfEmergency(admin, { ...c, urgent: c.urgent ?? false }) : adminMaySee(admin, c);
    if (!mayKnow) continue;
    const sees = visibleTo(audienceOf(admin), c);
    const text = adminAlertText(kind, {
      trackingId: c.trackingId,
      description: c.description,
      categoryName: c.categoryName,
      opdCode: c.opdCode,
      opdName: c.opdName,
      locationText: c.locationText,
      lowConfidence: c.lowConfidence,
      privacy: c.privacy,
      reporterName: sees.reporterName ? c.reporterName : null,
      supporterCount: c.supporterCount,
      emergencyKind: c.emergencyKind ?? null,
      ...extra,
    });
    await enqueueNotification(tx, {
      conversationKey: admin.conversationKey,
      caseId: c.id,
      reply: { text, caseRef: c.trackingId, ...(photoPath ? { image: { path: photoPath } } : {}) },
    });
  }
}
