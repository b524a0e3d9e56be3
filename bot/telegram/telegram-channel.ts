import http from 'node:http';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bot, HttpError, InputFile, type Api, type Transformer } from 'grammy';
import type { InlineKeyboardButton, Update } from 'grammy/types';
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { LRUCache } from 'lru-cache';
import type { App } from '../app.ts';
import type { Config } from '../../lib/config.ts';
import type { InboundMessage, Reply } from '../../flows/types.ts';
import { parseConversationKey } from '../../domain/conversation-key.ts';
import { isProcessed } from '../../db/conversations.ts';
import { errorCode } from '../../lib/errors.ts';
import { photoProblem, storeAttachment } from '../store-attachment.ts';
import type { Channel } from '../channel.ts';
import { outboxSender } from '../deliver-replies.ts';
import { handleInbound } from '../handle-inbound.ts';
import { channelNotice } from '../notices.ts';
import { markReachable, markUnreachable } from '../reachability.ts';
import { SentCaseRefs } from '../sent-case-refs.ts';
import { conversationKeyForChat, translateUpdate, type PendingAudio, type PendingPhoto } from './translate-update.ts';
import { audioProblem, storeAudio } from '../store-audio.ts';
import { isKeptChoice, promptRef } from '../../domain/admin-actions.ts';
import { renderReply } from './render-reply.ts';
import { toDeliveryError } from './telegram-errors.ts';
import { downloadTelegramFile } from './download-file.ts';
import { AttachmentTooLargeError } from '../read-capped.ts';
import { BOT_COMMANDS } from './commands.ts';
import { resolveWebhookSecret } from './webhook-secret.ts';
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

/** On stop, wait this long for the updates being handled to finish before giving up on them. */
const STOP_GRACE_MS = 15_000;

/**
 * Updates handled at once in long polling (@grammyjs/runner's concurrent sink; its default is 500). One chat's
 * updates still run one at a time (sequentialize); this caps the chats in flight, each holding memory and waiting
 * on the LLM limit (LLM_CONCURRENCY) or the database pool. Past it the runner fetches fewer updates, so a crowd
 * waits at Telegram rather than in this process.
 */
export const POLLING_CONCURRENCY = 200;

/**
 * Webhook calls are answered after this long even if the flow is still busy (an LLM call can take longer);
 * processing continues, and a redelivery by Telegram is dropped as a duplicate. Until then a failure is answered
 * 500, so Telegram delivers the update again; after it, the citizen is told to send the message again.
 */
const WEBHOOK_ANSWER_AFTER_MS = 25_000;

/** Largest webhook body read; a Bot API update is a few KB, so anything this big is not Telegram. */
const WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Chats whose last keyboard message the bot remembers (to remove a keyboard once a newer one is sent). Bounded
 * so the map does not grow with every citizen ever served; a forgotten chat only keeps an old keyboard visible,
 * whose press is then answered as a stale choice by the flow.
 */
const KEYBOARD_CHATS_CAP = 10_000;

/** Message id under which "this group was told to write privately" is remembered (ProcessedMessage, per group key). */
const GROUP_NOTICE_MARK = 'group-notice';

const STALE_CHOICE_TEXT = 'Pilihan ini sudah tidak berlaku. Silakan jawab pertanyaan terakhir.';

export interface TelegramOptions {
  token: string;
  /** Bot API root; grammY's default (https://api.telegram.org) when unset. */
  apiRoot?: string;
  /** Public HTTPS URL Telegram posts updates to; long polling when unset. */
  webhookUrl?: string;
  webhookPort?: number;
  /** Bind address of the webhook server (TELEGRAM_WEBHOOK_HOST; 127.0.0.1 behind a reverse proxy). */
  webhookHost?: string;
  /** TELEGRAM_WEBHOOK_SECRET; a random one kept in DATA_DIR when unset (bot/telegram/webhook-secret.ts). */
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
    webhookHost: config.TELEGRAM_WEBHOOK_HOST,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
  };
}

export interface TelegramChannel extends Channel {
  readonly bot: Bot;
  /** Address of the webhook server once listening (webhook mode). */
  webhookAddress(): { host: string; port: number } | undefined;
  /** The secret the webhook server expects in X-Telegram-Bot-Api-Secret-Token (webhook mode, after start). */
  webhookSecret(): string | undefined;
  /**
   * Resolves once the update is handled (its replies sent or kept in the outbox), at once for an update not in
   * flight. With concurrent long polling a fetched update is confirmed to Telegram before it is handled, so tests
   * and monitoring ask here rather than read the polling offset.
   */
  whenHandled(updateId: number): Promise<void>;
  /** Updates being handled right now. */
  readonly updatesInFlight: number;
}

type ChannelApp = Pick<App, 'handle' | 'db' | 'log' | 'config'>;

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

function secretMatches(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > WEBHOOK_MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The Telegram channel: translates updates into InboundMessage and replies into Bot API calls; everything in
 * between is the shared inbound path and delivery policy. Only private chats are conversations. Creating it makes
 * no API call.
 */
export function createTelegramChannel(app: ChannelApp, options: TelegramOptions = telegramOptionsFromConfig(app.config)): TelegramChannel {
  const { db, log, config } = app;
  const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
  const bot = new Bot(options.token, { client: { apiRoot } });
  bot.api.config.use(autoRetry(AUTO_RETRY));
  bot.api.config.use(retryNetworkErrors());

  const queue = new KeyedQueue<number>();
  /** Last message per chat that carries a keyboard; an older keyboard is removed when a new one is sent. */
  const lastKeyboard = new LRUCache<number, number>({ max: KEYBOARD_CHATS_CAP });
  const caseRefs = new SentCaseRefs();
  /** Webhook updates whose HTTP call is still open: a failure now is answered 500 and Telegram redelivers. */
  const redeliverable = new Set<number>();
  let ready = false;
  let runner: RunnerHandle | undefined;
  let polling: Promise<void> | undefined;
  /** Updates being handled, by update_id (stop() waits for them; whenHandled() answers from here). */
  const inFlight = new Map<number, Promise<void>>();
  let server: http.Server | undefined;
  let secret: string | undefined;
  let rejectEnded!: (err: unknown) => void;
  const ended = new Promise<void>((_resolve, reject) => {
    rejectEnded = reject;
  });
  ended.catch(() => undefined);

  async function removeKeyboard(api: Api, chatId: number, messageId: number): Promise<void> {
    try {
      await api.editMessageReplyMarkup(chatId, messageId);
    } catch (err) {
      // "message is not modified" or too old to edit: the keyboard is harmless then.
      log.debug({ code: errorCode(err) }, 'could not remove a keyboard');
    }
  }

  /** Puts one reply on Telegram; throws the first Bot API failure as a DeliveryError. */
  async function sendOne(api: Api, chatId: number, reply: Reply): Promise<void> {
    for (const part of renderReply(reply)) {
      let sent;
      try {
        sent =
          part.method === 'sendMessage'
            ? await api.sendMessage(
                chatId,
                part.text,
                part.keyboard
                  ? { reply_markup: { inline_keyboard: part.keyboard as InlineKeyboardButton[][] } }
                  : part.forceReply
                    ? { reply_markup: { force_reply: true, selective: true } }
                    : {},
              )
            : await api.sendPhoto(chatId, new InputFile(path.resolve(config.DATA_DIR, part.imagePath)));
      } catch (err) {
        throw toDeliveryError(err);
      }
      if (reply.caseRef) caseRefs.remember(String(chatId), String(sent.message_id), promptRef(reply.caseRef, reply.expectReply));
      // Kept keyboards (admin actions, a list's next page) stay; only a conversation's question keyboard is replaced.
      if (part.method === 'sendMessage' && part.keyboard && !reply.keepChoices) {
        const previous = lastKeyboard.get(chatId);
        lastKeyboard.set(chatId, sent.message_id);
        if (previous !== undefined && previous !== sent.message_id) await removeKeyboard(api, chatId, previous);
      }
    }
  }

  function chatIdOf(conversationKey: string): number {
    const chatId = Number(parseConversationKey(conversationKey).parts[0]);
    if (!Number.isSafeInteger(chatId)) throw toDeliveryError(new Error(`not a Telegram chat id in ${conversationKey.slice(0, 3)}…`));
    return chatId;
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

  async function attachAudio(message: InboundMessage, audio: PendingAudio): Promise<InboundMessage> {
    const limit = config.STT_MAX_AUDIO_BYTES;
    try {
      if (audio.fileSize !== undefined && audio.fileSize > limit) throw new AttachmentTooLargeError(limit, audio.fileSize);
      const file = await downloadTelegramFile(bot.api, { apiRoot, token: options.token, fileId: audio.fileId, maxBytes: limit });
      const stored = await storeAudio(config.DATA_DIR, file.data, { maxBytes: limit, durationSeconds: audio.durationSeconds, key: message.key });
      return { ...message, attachments: [...(message.attachments ?? []), stored] };
    } catch (err) {
      log.warn({ code: errorCode(err), messageId: message.messageId }, 'voice note not taken');
      return { ...message, unsupported: audioProblem(err) };
    }
  }

  /**
   * A group, supergroup or channel is told once (remembered in the database, per group) that the bot works in
   * private chats only; nothing else of it is kept: no conversation, no attachment.
   */
  async function noticeGroupOnce(api: Api, chatId: number): Promise<void> {
    const key = conversationKeyForChat(chatId);
    const already = await db.processedMessage.findUnique({ where: { conversationKey_messageId: { conversationKey: key, messageId: GROUP_NOTICE_MARK } } });
    if (already) return;
    await db.processedMessage.create({ data: { conversationKey: key, messageId: GROUP_NOTICE_MARK } });
    try {
      await api.sendMessage(chatId, channelNotice('privateOnly', config.DEFAULT_LANGUAGE));
    } catch (err) {
      // Muted or removed again: the notice is a courtesy, and it is never retried into a group.
      log.info({ code: errorCode(err) }, 'group notice not sent');
    }
  }

  // First: count the update as in flight before anything awaits, so a confirmed polling offset implies it is known.
  bot.use((ctx, next) => {
    const updateId = ctx.update.update_id;
    const handled = next();
    const settled: Promise<void> = handled.then(
      () => undefined,
      () => undefined,
    );
    inFlight.set(updateId, settled);
    void settled.then(() => {
      if (inFlight.get(updateId) === settled) inFlight.delete(updateId);
    });
    return handled;
  });
  // Long polling runs updates concurrently (@grammyjs/runner); one chat's updates still go one at a time, in order,
  // which the per-chat queue below also gives the outbox's sends. Keyed by chat: a callback query carries its chat.
  bot.use(sequentialize((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));

  bot.use(async (ctx) => {
    const updateId = ctx.update.update_id;
    const translated = translateUpdate(ctx.update, new Date(), (chatId, messageId) => caseRefs.caseRefFor(String(chatId), String(messageId)));
    const canRedeliver = () => redeliverable.has(updateId);
    switch (translated.kind) {
      case 'ignored':
        log.debug({ updateId, reason: translated.reason }, 'update ignored');
        return;
      case 'group':
        log.info({ updateId }, 'group update; not a conversation');
        return queue.run(translated.chatId, () => noticeGroupOnce(ctx.api, translated.chatId));
      case 'membership':
        if (translated.blocked) await markUnreachable(db, translated.key, new Date());
        else await markReachable(db, translated.key, new Date());
        log.info({ updateId, blocked: translated.blocked }, 'bot membership changed');
        return;
      case 'message':
        return queue.run(translated.chatId, () =>
          handleInbound(app, translated.message, (key, reply) => sendOne(ctx.api, chatIdOf(key), reply), {
            canRedeliver,
            prepare: async (message) => {
              if (!translated.photo && !translated.audio) return message;
              // Skip the download for a redelivered update; the engine would drop it anyway.
              if (await isProcessed(db, message.key, message.messageId)) return undefined;
              return translated.photo ? attachPhoto(message, translated.photo) : attachAudio(message, translated.audio!);
            },
            beforeReplies: async (replies) => {
              // The person answered by typing (or sent a photo): the keyboard they did not use goes away.
              const outstanding = lastKeyboard.get(translated.chatId);
              if (outstanding !== undefined && replies.length > 0) {
                lastKeyboard.delete(translated.chatId);
                await removeKeyboard(ctx.api, translated.chatId, outstanding);
              }
            },
          }),
        );
      case 'choice':
        return queue.run(translated.chatId, async () => {
          const { chatId, keyboardMessageId } = translated;
          // A kept keyboard (admin action or page button) is judged by the flow: it says itself when a press is stale.
          if (isKeptChoice(translated.message.choice ?? '')) {
            await ctx.api
              .answerCallbackQuery(translated.callbackQueryId, translated.label ? { text: `✓ ${translated.label}` } : {})
              .catch((err) => log.debug({ code: errorCode(err) }, 'answerCallbackQuery failed'));
            await handleInbound(app, translated.message, (key, reply) => sendOne(ctx.api, chatIdOf(key), reply), { canRedeliver });
            return;
          }
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
          await handleInbound(app, translated.message, (key, reply) => sendOne(ctx.api, chatIdOf(key), reply), { canRedeliver });
        });
    }
  });

  bot.catch((err) => {
    // Long polling: never let one bad update stop polling. (Chat messages never get here: handleInbound tells the
    // citizen instead.)
    log.error({ code: errorCode(err.error), updateId: err.ctx.update.update_id }, 'update handling failed');
  });

  const sender = outboxSender(app, {
    channel: 'tg',
    isReady: () => ready,
    send: (conversationKey, reply) => {
      const chatId = chatIdOf(conversationKey);
      return queue.run(chatId, () => sendOne(bot.api, chatId, reply));
    },
  });

  /**
   * Handles one webhook call. Answers 200 once the update is handled, or after WEBHOOK_ANSWER_AFTER_MS while the
   * work goes on; answers 500 when handling failed before that, so Telegram delivers the update again.
   */
  async function onWebhookCall(req: http.IncomingMessage, res: http.ServerResponse, expectedSecret: string): Promise<void> {
    if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], expectedSecret)) {
      res.writeHead(401).end();
      return;
    }
    const body = await readBody(req);
    let update: Update;
    try {
      if (!body) throw new Error('body too large');
      update = JSON.parse(body.toString('utf8')) as Update;
      if (typeof update?.update_id !== 'number') throw new Error('not an update');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const updateId = update.update_id;
    redeliverable.add(updateId);
    const answer = (status: number) => {
      if (!redeliverable.delete(updateId) || res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    };
    const timer = setTimeout(() => answer(200), WEBHOOK_ANSWER_AFTER_MS);
    try {
      await bot.handleUpdate(update);
      answer(200);
    } catch (err) {
      log.error({ code: errorCode((err as { error?: unknown }).error ?? err), updateId }, 'webhook update failed; Telegram will send it again');
      answer(500);
    } finally {
      clearTimeout(timer);
      redeliverable.delete(updateId);
    }
  }

  async function startWebhook(url: string): Promise<void> {
    const expectedSecret = resolveWebhookSecret(options.webhookSecret, config.DATA_DIR);
    secret = expectedSecret;
    const pathname = new URL(url).pathname;
    server = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').split('?')[0] === pathname) {
        onWebhookCall(req, res, expectedSecret).catch((err: unknown) => {
          log.error({ code: errorCode(err) }, 'webhook call failed');
          if (!res.headersSent) res.writeHead(500).end();
        });
        return;
      }
      res.writeHead(404).end();
    });
    const port = options.webhookPort ?? 8443;
    const host = options.webhookHost ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, host, () => resolve());
    });
    await bot.api.setWebhook(url, { secret_token: expectedSecret, allowed_updates: [...ALLOWED_UPDATES] });
    log.info({ host, port: (server.address() as { port: number }).port }, 'telegram webhook listening');
  }

  return {
    name: 'tg',
    bot,
    sender,
    ended,
    webhookAddress() {
      const address = server?.address();
      return address && typeof address === 'object' ? { host: address.address, port: address.port } : undefined;
    },
    webhookSecret: () => secret,
    whenHandled: (updateId) => inFlight.get(updateId) ?? Promise.resolve(),
    get updatesInFlight() {
      return inFlight.size;
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
      // getUpdates is refused while a webhook is set (an earlier run in webhook mode).
      await bot.api.deleteWebhook();
      runner = run(bot, {
        runner: {
          fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: options.pollingTimeoutSeconds ?? POLLING_TIMEOUT_SECONDS },
          // The runner's own retries of getUpdates (network errors) are logged by us when they finally fail.
          silent: true,
        },
        sink: { concurrency: POLLING_CONCURRENCY },
      });
      ready = true;
      log.info({ bot: bot.botInfo.username }, 'telegram long polling started');
      polling = runner.task();
      polling?.catch((err: unknown) => {
        ready = false;
        // 401 (token revoked) or 409 (another poller or a webhook took over): the runner gives up.
        log.error({ code: errorCode(err) }, 'telegram polling stopped with an error');
        rejectEnded(err);
      });
    },
    async stop() {
      ready = false;
      if (runner) {
        const stopping = runner;
        runner = undefined;
        // Stops fetching at once; updates already fetched are confirmed to Telegram, so let them finish.
        await Promise.race([stopping.stop().catch(() => undefined), sleep(STOP_GRACE_MS)]);
        await Promise.race([Promise.allSettled([...inFlight.values()]), sleep(STOP_GRACE_MS)]);
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
    },
  };
}
