import type { Db } from '../db/client.ts';
import type { Tx } from '../db/file-case.ts';
import type { Reply } from '../domain/messages.ts';
import { parseConversationKey } from '../domain/conversation-key.ts';
import { adminMaySee, visibleTo, audienceOf, type CaseScope } from '../domain/case-access.ts';
import { adminAlertText, type AlertKind } from '../domain/case-notices.ts';
import { enqueueOutboxRow, type OutboxSender } from '../db/outbox.ts';
import { listActiveAdmins } from '../db/admins.ts';
import { parseConversationKey as channelOf } from '../domain/conversation-key.ts';
import { actionMenu, availableActions, caseVersion } from '../domain/admin-actions.ts';

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
  reopenCount: number;
  unitName: string | null;
  /** Whether the case's OPD has units (a Disposisi button is offered). */
  opdHasUnits: boolean;
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
): Promise<void> {
  // The OPD's own admins, and the unit's when the case is disposed to one (adminMaySee drops the accused).
  const admins =
    to === 'instansi'
      ? await listActiveAdmins(tx, { role: 'instansi' })
      : c.opdCode
        ? [
            ...(await listActiveAdmins(tx, { role: 'penghubung', opdCode: c.opdCode })),
            ...(c.unitCode ? await listActiveAdmins(tx, { role: 'penghubung', opdCode: c.opdCode, unitCode: c.unitCode }) : []),
          ]
        : [];
  for (const admin of admins) {
    if (!adminMaySee(admin, c)) continue;
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
      unitName: c.unitName,
      ...extra,
    });
    // The actions this admin may take now, as buttons (Telegram) or a numbered list (domain/admin-actions.ts).
    const menu = actionMenu(channelOf(admin.conversationKey).channel, c.trackingId, caseVersion(c), availableActions(admin, c, { opdHasUnits: c.opdHasUnits }));
    await enqueueNotification(tx, {
      conversationKey: admin.conversationKey,
      caseId: c.id,
      reply: {
        text: menu.text ? `${text}\n\n${menu.text}` : text,
        caseRef: c.trackingId,
        ...(menu.choices ? { choices: menu.choices, keepChoices: true } : {}),
        ...(photoPath ? { image: { path: photoPath } } : {}),
      },
    });
  }
}
