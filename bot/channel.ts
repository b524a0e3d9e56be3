import type { Channel as ChannelName, Reply } from '../flows/types.ts';
import type { NotificationSender } from '../cases/notify.ts';

export type { ChannelName };

/**
 * The one contract every channel (terminal, Telegram, WhatsApp) meets. An adapter translates platform updates
 * into InboundMessage and replies into platform calls; what happens in between (bot/handle-inbound.ts), how
 * replies are delivered and what fails goes to the outbox (bot/deliver-replies.ts), and how channels are started
 * and their senders registered (bot/start-channels.ts) is written once, for all of them.
 */
export interface Channel {
  readonly name: ChannelName;
  /** What the outbox dispatcher delivers notifications through; registered by startChannels, nowhere else. */
  readonly sender: NotificationSender;
  /** Connects and starts taking messages. */
  start(): Promise<void>;
  /** Stops taking messages and lets the one being handled finish. */
  stop(): Promise<void>;
  /**
   * Settles when the channel ends by itself: resolves when its input is over (the terminal's stdin closed),
   * rejects when the platform gives up on us (Telegram refused the token or a second poller took over, WhatsApp
   * stopped reconnecting). Stays pending while the channel runs and after stop().
   */
  readonly ended: Promise<void>;
}

/** Puts one reply on the platform for one conversation; throws a DeliveryError when the platform refuses. */
export type SendReply = (conversationKey: string, reply: Reply) => Promise<void>;
