import type { App } from './app.ts';
import type { InboundMessage, Reply } from '../flows/types.ts';
import { errorCode } from '../lib/errors.ts';
import type { SendReply } from './channel.ts';
import { deliverReplies } from './deliver-replies.ts';
import { channelNotice } from './notices.ts';
import { markReachable } from './reachability.ts';

export type InboundDeps = Pick<App, 'db' | 'log' | 'handle' | 'config'>;

export interface InboundOptions {
  /** Work on the message before the engine sees it (a photo download); undefined drops it (a redelivery). */
  prepare?(message: InboundMessage): Promise<InboundMessage | undefined>;
  /** Runs between the engine's answer and sending it (Telegram removes a keyboard the person did not use). */
  beforeReplies?(replies: Reply[]): Promise<void>;
  /**
   * True while the platform can still be asked to deliver the message again (a webhook call not answered yet):
   * then a failure is thrown, the platform gets a non-2xx answer and redelivers. Otherwise the citizen is told.
   */
  canRedeliver?(): boolean;
}

/**
 * One inbound message, the same way on every channel: the person is reachable again (they wrote to us), the
 * adapter's preparation, the flow engine, then the replies under the one delivery policy. The rule: every
 * message either takes effect or the citizen is told to send it again (or, in webhook mode, the platform is asked
 * to redeliver) — a busy database before or inside the engine never drops a message in silence.
 */
export async function handleInbound(deps: InboundDeps, message: InboundMessage, send: SendReply, options: InboundOptions = {}): Promise<void> {
  let replies: Reply[];
  try {
    await markReachable(deps.db, message.key, new Date());
    const ready = options.prepare ? await options.prepare(message) : message;
    if (!ready) return;
    replies = await deps.handle(ready);
  } catch (err) {
    if (options.canRedeliver?.()) throw err;
    deps.log.error({ code: errorCode(err), channel: message.channel, messageId: message.messageId }, 'message not taken; asking the sender to send it again');
    replies = [{ text: channelNotice('sendAgain', deps.config.DEFAULT_LANGUAGE) }];
  }
  try {
    await options.beforeReplies?.(replies);
    await deliverReplies(deps, message.key, replies, send);
  } catch (err) {
    // The message took effect; only its answer is lost (the outbox could not be written either). A redelivery
    // would be dropped as a duplicate, so there is nothing to rethrow for.
    deps.log.error({ code: errorCode(err), channel: message.channel, messageId: message.messageId }, 'replies neither sent nor kept');
  }
}
