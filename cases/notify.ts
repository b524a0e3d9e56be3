import type { Db } from '../db/client.ts';
import type { Tx } from '../db/file-case.ts';
import type { Reply } from '../domain/messages.ts';
import { parseConversationKey } from '../domain/conversation-key.ts';
import { adminMaySee, adminWarnedOfEmergency, visibleTo, audienceOf, type CaseScope } from '../domain/case-access.ts';
import { adminAlertText, type AlertKind } from '../domain/case-notices.ts';
import { enqueueOutboxRow, markNeverDeliverable, type OutboxSender, type UndeliverableRow } from '../db/outbox.ts';
import { listActiveAdmins } from '../db/admins.ts';
import { parseConversationKey as channelOf } from '../domain/conversation-key.ts';
import { actionMenu, availableActions, caseVersion } from '../domain/admin-actions.ts';
import { neverDeliverableRules, whyNeverDeliverable } from '../domain/delivery-route.ts';
import { undeliverableNoticeText } from '../domain/delivery-notices.ts';
import { createHash } from 'node:crypto';
import type { Logger } from '../lib/logger.ts';
import { errorCode } from '../lib/errors.ts';

/** What a channel adapter offers the outbox: it delivers Replies. */
export type NotificationSender = OutboxSender<Reply>;

/** A notice for one chat; written to the outbox in the caller's transaction. */
export interface Notification {
  conversationKey: string;
  reply: Reply;
  caseId?: string;
  /** Unique per logical notice (e.g. "reminder:<case>:<day>"); a second enqueue with it is ignored. */
  dedupeKey?: string;
  /** The admin it is for (alerts, reminders, summaries): removing the admin drops it while still queued. */
  adminId?: string;
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
  /** Address the admins warned of the case as an emergency (domain/case-access.ts), not only those who see it. */
  warnedOfEmergency = kind === 'urgent',
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
      unitName: c.unitName,
      ...extra,
    });
    // The actions this admin may take now, as buttons (Telegram) or a numbered list (domain/admin-actions.ts).
    const menu = actionMenu(channelOf(admin.conversationKey).channel, c.trackingId, caseVersion(c), availableActions(admin, c, { opdHasUnits: c.opdHasUnits }));
    await enqueueNotification(tx, {
      conversationKey: admin.conversationKey,
      caseId: c.id,
      adminId: admin.id,
      reply: {
        text: menu.text ? `${text}\n\n${menu.text}` : text,
        caseRef: c.trackingId,
        ...(menu.choices ? { choices: menu.choices, keepChoices: true } : {}),
        ...(photoPath ? { image: { path: photoPath } } : {}),
      },
    });
  }
}

export interface SettleOptions {
  /** WHATSAPP_ACCOUNT: the only WhatsApp account this deployment sends from. */
  whatsappAccount: string;
  log: Logger;
}

/**
 * The outbox's settling step (OutboxDispatcher option `settle`): marks waiting notifications that no sender of this
 * deployment can ever take (domain/delivery-route.ts: another WhatsApp account, a group, an unknown channel) as
 * undeliverable with the reason, and tells every admin instansi once per chat and reason. Any process may run it;
 * each row is marked by one of them, and the notice's dedupe key keeps a second telling from being written.
 */
export function settleUndeliverable(db: Db, options: SettleOptions): (now: Date) => Promise<void> {
  const rules = neverDeliverableRules(options.whatsappAccount);
  return async () => {
    const marked = await markNeverDeliverable(db, rules);
    if (marked.length === 0) return;
    options.log.warn({ count: marked.length, reasons: [...new Set(marked.map((m) => m.reason))] }, 'notifications no sender can take marked undeliverable');
    await tellInstansi(db, marked, options);
  };
}

async function tellInstansi(db: Db, marked: UndeliverableRow[], options: SettleOptions): Promise<void> {
  const groups = new Map<string, UndeliverableRow[]>();
  for (const row of marked) {
    const key = `${row.reason}\u0000${row.conversationKey}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  // Told only where a notice can arrive: an admin instansi on a broken key is itself one of the rows above.
  const recipients = (await listActiveAdmins(db, { role: 'instansi' })).filter((a) => !whyNeverDeliverable(a.conversationKey, options.whatsappAccount));
  if (recipients.length === 0) {
    options.log.warn({ count: marked.length }, 'no admin instansi to tell about undeliverable notifications');
    return;
  }
  for (const rows of groups.values()) {
    const { reason, conversationKey } = rows[0];
    const admin = await db.admin.findFirst({ where: { conversationKey }, orderBy: { createdAt: 'desc' }, select: { name: true, conversationKey: true } });
    const caseIds = [...new Set(rows.map((r) => r.caseId).filter((id): id is string => id !== null))];
    const trackingIds = caseIds.length > 0 ? (await db.case.findMany({ where: { id: { in: caseIds } }, select: { trackingId: true } })).map((c) => c.trackingId) : [];
    const text = undeliverableNoticeText({ reason, whatsappAccount: options.whatsappAccount, admin: admin ?? undefined, trackingIds, count: rows.length });
    // Hashed: the dedupe key outlives the notice (retention keeps it) and must not keep a citizen's number.
    const target = createHash('sha256').update(conversationKey).digest('hex').slice(0, 24);
    for (const recipient of recipients) {
      try {
        await enqueueNotification(db, { conversationKey: recipient.conversationKey, adminId: recipient.id, dedupeKey: `undeliverable:${reason}:${target}:${recipient.id}`, reply: { text } });
      } catch (err) {
        // Another process told the same admin at the same instant (unique dedupe key): told once.
        if (errorCode(err) !== 'P2002') throw err;
      }
    }
  }
}
