import type { Db } from '../db/client.ts';
import { enqueueNotification, type NotificationSender } from '../cases/notify.ts';
import type { ClaimFilter } from '../db/outbox.ts';
import type { Reply } from '../flows/types.ts';
import { DeliveryError, errorCode } from '../lib/errors.ts';
import type { Logger } from '../lib/logger.ts';
import type { ChannelName, SendReply } from './channel.ts';
import { markUnreachable } from './reachability.ts';

export interface DeliveryDeps {
  db: Db;
  log: Logger;
}

export interface DeliveryOutcome {
  sent: number;
  /** Pieces written to the outbox because the platform refused one of them. */
  queued: number;
}

/**
 * A reply with a picture goes out as two messages, text first: a photo the platform refuses (a format it does not
 * take, a file too big) must never hold back the text, which is what the citizen or admin needs to read.
 */
export function separatePhoto(reply: Reply): Reply[] {
  if (!reply.image || reply.text.trim() === '') return [reply];
  const { image, ...text } = reply;
  return [text, { text: '', image, ...(reply.caseRef ? { caseRef: reply.caseRef } : {}) }];
}

/**
 * The one delivery policy of every channel. Replies go out in order; at the first one the platform refuses, that
 * one and every one after it (kept in order) go to the outbox, which retries with backoff: the flow's state has
 * already moved on, so a lost reply (a filing confirmation with the tracking id) would never come back. When
 * the refusal is permanent (the person blocked the bot, the chat is gone) the chat is marked unreachable as
 * well: the outbox then keeps the rest as undeliverable, and they go out if the person writes again.
 */
export async function deliverReplies(deps: DeliveryDeps, conversationKey: string, replies: Reply[], send: SendReply): Promise<DeliveryOutcome> {
  const pieces = replies.flatMap(separatePhoto);
  for (const [i, piece] of pieces.entries()) {
    try {
      await send(conversationKey, piece);
    } catch (err) {
      const permanent = err instanceof DeliveryError && err.permanent;
      const rest = pieces.slice(i);
      deps.log.warn({ code: errorCode(err), permanent, kept: rest.length }, 'reply not sent; the rest goes to the outbox');
      if (permanent) await markUnreachable(deps.db, conversationKey, new Date());
      for (const reply of rest) await enqueueNotification(deps.db, { conversationKey, reply });
      return { sent: i, queued: rest.length };
    }
  }
  return { sent: pieces.length, queued: 0 };
}

export interface SenderOptions {
  channel: ChannelName;
  isReady?(): boolean;
  /** The chats of the channel this sender delivers to (db/outbox.ts ClaimFilter); all when absent. */
  claims?: ClaimFilter;
  send: SendReply;
}

/**
 * A channel's NotificationSender for the outbox, on the same policy: the first piece of a notification decides
 * (refused: the dispatcher keeps the row and retries it, nothing went out); once it is out, a refused photo after
 * it becomes an outbox row of its own instead of sending the text again on every retry.
 */
export function outboxSender(deps: DeliveryDeps, options: SenderOptions): NotificationSender {
  return {
    channel: options.channel,
    isReady: options.isReady,
    claims: options.claims,
    async send(conversationKey, reply) {
      const [first, ...rest] = separatePhoto(reply);
      await options.send(conversationKey, first);
      if (rest.length > 0) await deliverReplies(deps, conversationKey, rest, options.send);
    },
  };
}
