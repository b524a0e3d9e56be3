import http from 'node:http';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bot, HttpError, InputFile, webhookCallback, type Api, type Transformer } from 'grammy';
import type { InlineKeyboardButton } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import type { App } from '../app.ts';
import type { Config } from '../../lib/config.ts';
import type { InboundMessage, Reply } from '../../flows/types.ts';
import { enqueueNotification, type NotificationSender } from '../../db/outbox.ts';
import { parseConversationKey } from '../../flows/conversation-key.ts';
import { isProcessed } from '../../db/conversations.ts';
import { DeliveryError, errorCode } from '../../lib/errors.ts';
import { photoProblem, storeAttachment } from '../store-attachment.ts';
import { conversationKeyForChat, translateUpdate, type PendingPhoto } from './translate-update.ts';
import { renderReply } from './render-reply.ts';
import { toDeliveryError } from './telegram-errors.ts';
import { downloadTelegramFile } from './download-file.ts';
import { AttachmentTooLargeError } from '../read-capped.ts';
import { markReachable, markUnreachable } from './reachability.ts';
import { BOT_COMMANDS } from './commands.ts';
import { KeyedQueue } from '../../lib/keyed-queue.ts';

/**
 * 429 handling (@grammyjs/auto-retry): wait out `retry_after` up to a minute, at most 3 times. A longer wait
 * is better left to the outbox, which keeps the message and retries after `retry_after` without holding a
 * chat's reply or the outbox run hostage. Network errors are handled by NETWORK_RETRY below instead, because
 * the plugin retries those forever.
 */
export const AUTO_RETRY = { maxDelaySeconds: 60, maxRetryAttempts: 3, rethrowHttpErrors: true } as const;

/** Network failures on API calls: 3 more tries, 1 s then 2 s then 4 s; after that the caller's policy applies (the outbox backs off). */
const NETWORK_RETRY = { attempts: 3, baseDelayMs: 1_000 } as const;

/** Updates the bot asks for; everything else (edits, channel posts, reactions) is not conversation input. */
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** Long-polling wait per getUpdates call; Telegram's usual 30 s keeps idle traffic low. */
const POLLING_TIMEOUT_SECONDS = 30;

/** On stop, wait this long for the update being handled to finish before giving up on it. */
const STOP_GRACE_MS = 15_000;

/**
 * Webhook calls are answered after this long even if the flow is still busy (an LLM call can take longer);
 * processing continues, and a redelivery by Telegram is dropped as a duplicate.
 */
const WEBHOOK_ANSWER_AFTER_MS = 25_000;

const STALE_CHOICE_TEXT = 'Pilihan ini sudah tidak berlaku. Silakan jawab pertanyaan terakhir.';

export interface TelegramOptions {
  token: string;
  /** Bot API root; grammY's default (https://api.telegram.org) when unset. */
  apiRoot?: string;
  /** Public HTTPS URL Telegram posts updates to; long polling when unset. */
  webhookUrl?: string;
  webhookPort?: number;
  /** Bind address of the webhook server (all interfaces by default; tests use 127.0.0.1). */
  webhookHost?: string;
  webhookSecret?: string;
  pollingTimeoutSeconds?: number;
}

function telegramOptionsFromConfig(config: Config): TelegramOptions {
  if (!config.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  return {
    token: config.TELEGRAM_BOT_TOKEN,
    apiRoot: config.TELEGRAM_API_ROOT,
    webhookUrl: config.TELEGRAM_WEBHOOK_URL,
    webhookPort: config.TELEGRAM_WEBHOOK_PORT,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
  };
}

export interface TelegramChannel {
  readonly bot: Bot;
  readonly sender: NotificationSender;
  /** Connects (getMe), sets the command menu, then starts long polling or the webhook server. */
  start(): Promise<void>;
  /** Stops taking updates and lets the one being handled finish. */
  stop(): Promise<void>;
  /** Settles when polling ends: resolves after stop(), rejects if Telegram refuses the bot (bad token, 409). */
  readonly stopped: Promise<void>;
  /** Address of the webhook server once listening (webhook mode). */
  webhookAddress(): { host: string; port: number } | undefined;
}

type ChannelApp = Pick<App, 'engine' | 'db' | 'log' | 'config'>;

/** Retries API calls that failed on the network, a bounded number of times (see NETWORK_RETRY). */
function retryNetworkErrors(): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (err) {
        // getUpdates has its own retry loop in grammY; aborted calls are shutdowns.
        if (!(err instanceof HttpError) || method === 'getUpdates' || signal?.aborted || attempt >= NETWORK_RETRY.attempts) throw err;
        await sleep(NETWORK_RETRY.baseDelayMs * 2 ** attempt);
      }
    }
  };
}

function defaultWebhookSecret(token: string): string {
  return createHash('sha256').update(`lapor-bot-webhook:${token}`).digest('hex');
}

/**
 * The Telegram channel: translates updates into InboundMessage, runs them through the flow engine and renders
 * the replies; offers the outbox a NotificationSender. Creating it makes no API call.
 */
export function createTelegramChannel(app: ChannelApp, options: TelegramOptions = telegramOptionsFromConfig(app.config)): TelegramChannel {
  const { db, log, engine, config } = app;
  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Bot(options.token, { client: { apiRoot } });
  bot.api.config.use(autoRetry(AUTO_RETRY));
  bot.api.config.use(retryNetworkErrors());

  const queue = new KeyedQueue<number>();
  /** Last message per chat that carries a keyboard; an older keyboard is removed when a new one is sent. */
  const lastKeyboard = new Map<number, number>();
  let ready = false;
  let polling: Promise<void> | undefined;
  let server: http.Server | undefined;
  let resolveStopped!: () => void;
  let rejectStopped!: (err: unknown) => void;
  const stopped = new Promise<void>((resolve, reject) => {
    resolveStopped = resolve;
    rejectStopped = reject;
  });
  stopped.catch(() => undefined);

  async function removeKeyboard(api: Api, chatId: number, messageId: number): Promise<void> {
    try {
      await api.editMessageReplyMarkup(chatId, messageId);
    } catch (err) {
      // "message is not modified" or too old to edit: the keyboard is harmless then.
      log.debug({ code: errorCode(err) }, 'could not remove a keyboard');
    }
  }

  /** Sends replies in order; throws the first Bot API failure (as DeliveryError). */
  async function sendReplies(api: Api, chatId: number, replies: Reply[]): Promise<void> {
    for (const reply of replies) {
      for (const part of renderReply(reply)) {
        const markup = part.keyboard ? { reply_markup: { inline_keyboard: part.keyboard as InlineKeyboardButton[][] } } : {};
        let sent;
        try {
          sent =
            part.method === 'sendMessage'
              ? await api.sendMessage(chatId, part.text, markup)
              : await api.sendPhoto(chatId, new InputFile(path.resolve(config.DATA_DIR, part.imagePath)), { caption: part.caption, ...markup });
        } catch (err) {
          throw toDeliveryError(err);
        }
        if (part.keyboard) {
          const previous = lastKeyboard.get(chatId);
          lastKeyboard.set(chatId, sent.message_id);
          if (previous !== undefined && previous !== sent.message_id) await removeKeyboard(api, chatId, previous);
        }
      }
    }
  }

  async function attachPhoto(message: InboundMessage, photo: PendingPhoto): Promise<InboundMessage> {
    const limit = config.MAX_ATTACHMENT_BYTES;
    try {
      if (photo.fileSize !== undefined && photo.fileSize > limit) throw new AttachmentTooLargeError(limit, photo.fileSize);
      const file = await downloadTelegramFile(bot.api, { apiRoot, token: options.token, fileId: photo.fileId, maxBytes: limit });
      const stored = await storeAttachment(config.DATA_DIR, file.data, { key: message.key });
      const mime = stored.mime === 'application/octet-stream' && photo.mime ? photo.mime : stored.mime;
      return { ...message, attachments: [...(message.attachments ?? []), { kind: 'photo', path: stored.path, mime, size: stored.size }] };
    } catch (err) {
      log.warn({ code: errorCode(err), messageId: message.messageId }, 'photo not taken');
      return { ...message, unsupported: photoProblem(err) };
    }
  }

  /**
   * Answers a chat turn. A reply that fails for a passing reason (network, Telegram 5xx or an odd 400) goes to
   * the outbox with the ones after it, in order, as on WhatsApp: the flow's state has already moved on, so a
   * lost reply (a filing confirmation with the tracking id) would not come back. A blocked bot drops them.
   */
  async function reply(api: Api, chatId: number, replies: Reply[]): Promise<void> {
    for (const [i, current] of replies.entries()) {
      try {
        await sendReplies(api, chatId, [current]);
      } catch (err) {
        const key = conversationKeyForChat(chatId);
        const permanent = err instanceof DeliveryError && err.permanent;
        log.warn({ code: errorCode(err), kept: permanent ? 0 : replies.length - i }, 'telegram reply not sent');
        if (errorCode(err) === 'BLOCKED') await markUnreachable(db, key, new Date());
        if (!permanent) for (const rest of replies.slice(i)) await enqueueNotification(db, { conversationKey: key, reply: rest });
        return;
      }
    }
  }

  bot.use(async (ctx) => {
    const translated = translateUpdate(ctx.update);
    switch (translated.kind) {
      case 'ignored':
        log.debug({ updateId: ctx.update.update_id, reason: translated.reason }, 'update ignored');
        return;
      case 'membership':
        if (translated.blocked) await markUnreachable(db, translated.key, new Date());
        else await markReachable(db, translated.key, new Date());
        log.info({ updateId: ctx.update.update_id, blocked: translated.blocked }, 'bot membership changed');
        return;
      case 'message':
        return queue.run(translated.chatId, async () => {
          let message = translated.message;
          await markReachable(db, message.key, new Date());
          if (translated.photo) {
            // Skip the download for a redelivered update; the engine would drop it anyway.
            if (await isProcessed(db, message.key, message.messageId)) return;
            message = await attachPhoto(message, translated.photo);
          }
          const replies = await engine.handle(message);
          // The person answered by typing (or sent a photo): the keyboard they did not use goes away.
          const outstanding = lastKeyboard.get(translated.chatId);
          if (outstanding !== undefined && replies.length > 0) {
            lastKeyboard.delete(translated.chatId);
            await removeKeyboard(ctx.api, translated.chatId, outstanding);
          }
          await reply(ctx.api, translated.chatId, replies);
        });
      case 'choice':
        return queue.run(translated.chatId, async () => {
          const { chatId, keyboardMessageId } = translated;
          const current = lastKeyboard.get(chatId);
          const stale = current !== undefined && keyboardMessageId !== undefined && keyboardMessageId !== current;
          await ctx.api
            .answerCallbackQuery(translated.callbackQueryId, stale ? { text: STALE_CHOICE_TEXT } : translated.label ? { text: `✓ ${translated.label}` } : {})
            .catch((err) => log.debug({ code: errorCode(err) }, 'answerCallbackQuery failed'));
          if (keyboardMessageId !== undefined) {
            await removeKeyboard(ctx.api, chatId, keyboardMessageId);
            if (current === keyboardMessageId) lastKeyboard.delete(chatId);
          }
          if (stale) return;
          await markReachable(db, translated.message.key, new Date());
          const replies = await engine.handle(translated.message);
          await reply(ctx.api, chatId, replies);
        });
    }
  });

  bot.catch((err) => {
    // Never let one bad update stop polling.
    log.error({ code: errorCode(err.error), updateId: err.ctx.update.update_id }, 'update handling failed');
  });

  const sender: NotificationSender = {
    channel: 'tg',
    isReady: () => ready,
    async send(conversationKey, replyToSend) {
      const { parts } = parseConversationKey(conversationKey);
      const chatId = Number(parts[0]);
      if (!Number.isSafeInteger(chatId)) throw toDeliveryError(new Error(`not a Telegram chat id in ${conversationKey.slice(0, 3)}…`));
      await queue.run(chatId, () => sendReplies(bot.api, chatId, [replyToSend]));
    },
  };

  async function startWebhook(url: string): Promise<void> {
    const secret = options.webhookSecret ?? defaultWebhookSecret(options.token);
    const pathname = new URL(url).pathname;
    const handle = webhookCallback(bot, 'http', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: WEBHOOK_ANSWER_AFTER_MS });
    server = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').split('?')[0] === pathname) {
        handle(req, res).catch((err: unknown) => {
          log.error({ code: errorCode(err) }, 'webhook update failed');
          if (!res.headersSent) res.writeHead(500).end();
        });
        return;
      }
      res.writeHead(404).end();
    });
    const port = options.webhookPort ?? 8443;
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, options.webhookHost, () => resolve());
    });
    await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    log.info({ port: (server.address() as { port: number }).port }, 'telegram webhook listening');
  }

  return {
    bot,
    sender,
    stopped,
    webhookAddress() {
      const address = server?.address();
      return address && typeof address === 'object' ? { host: address.address, port: address.port } : undefined;
    },
    async start() {
      await bot.init();
      try {
        await bot.api.setMyCommands(BOT_COMMANDS);
      } catch (err) {
        // The menu is a convenience; typing the commands works without it.
        log.warn({ code: errorCode(err) }, 'setMyCommands failed');
      }
      if (options.webhookUrl) {
        await startWebhook(options.webhookUrl);
        ready = true;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        polling = bot.start({
          allowed_updates: [...ALLOWED_UPDATES],
          timeout: options.pollingTimeoutSeconds ?? POLLING_TIMEOUT_SECONDS,
          onStart: () => {
            ready = true;
            log.info({ bot: bot.botInfo.username }, 'telegram long polling started');
            resolve();
          },
        });
        polling.then(resolveStopped, (err) => {
          ready = false;
          log.error({ code: errorCode(err) }, 'telegram polling stopped with an error');
          reject(err);
          rejectStopped(err);
        });
      });
    },
    async stop() {
      ready = false;
      if (polling) {
        await bot.stop().catch((err) => log.warn({ code: errorCode(err) }, 'could not confirm the last update'));
        await Promise.race([polling.catch(() => undefined), sleep(STOP_GRACE_MS)]);
        polling = undefined;
      }
      if (server) {
        const closing = server;
        server = undefined;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeIdleConnections();
        });
      }
      resolveStopped();
    },
  };
}
