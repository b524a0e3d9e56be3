import { vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update, Message, InlineKeyboardMarkup } from 'grammy/types';

/** One Bot API call the bot made, with its parameters (files replaced by their byte size). */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

/** A message the bot sent, as the fake keeps it (so a test can press its buttons). */
export interface BotMessage {
  message_id: number;
  chatId: number;
  method: 'sendMessage' | 'sendPhoto';
  text?: string;
  caption?: string;
  photoBytes?: number;
  reply_markup?: InlineKeyboardMarkup;
}

export interface ScriptedFailure {
  method: string;
  /** Only for calls to this chat (when set). */
  chatId?: number;
  /** How many calls fail (default 1; Infinity for always). */
  times?: number;
  errorCode: number;
  description: string;
  retryAfter?: number;
}

/**
 * The parts of a multipart/form-data body. Written out rather than `Response.formData()` because grammY writes
 * part headers the way Telegram accepts and undici refuses (`filename=photo.jpg` unquoted, no space after ":").
 */
function multipartParts(body: Buffer, contentType: string): Array<{ name: string; filename?: string; data: Buffer }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Array<{ name: string; filename?: string; data: Buffer }> = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const headerStart = start + delimiter.length + 2; // past the delimiter and its CRLF
    const next = body.indexOf(delimiter, headerStart);
    if (next === -1 || body.subarray(start + delimiter.length, start + delimiter.length + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', headerStart);
    const headers = body.subarray(headerStart, headerEnd).toString('utf8');
    const disposition = /content-disposition:\s*form-data\s*;(.*)/i.exec(headers)?.[1] ?? '';
    const param = (key: string) => new RegExp(`(?:^|;)\\s*${key}=(?:"([^"]*)"|([^;\\r\\n]*))`, 'i').exec(disposition);
    const name = param('name');
    const filename = param('filename');
    if (name) {
      parts.push({
        name: name[1] ?? name[2].trim(),
        filename: filename ? (filename[1] ?? filename[2].trim()) : undefined,
        data: body.subarray(headerEnd + 4, next - 2), // the part ends with CRLF before the next delimiter
      });
    }
    start = next;
  }
  return parts;
}

export const FAKE_TOKEN = '123456:TEST-token_abc';

const BOT_USER = { id: 123456, is_bot: true, first_name: 'Lapor Malang', username: 'lapor_malang_test_bot' };

interface Queued {
  update: Update;
  /** Delivered even if the offset says it was confirmed: how a redelivery looks to the bot. */
  force: boolean;
}

/**
 * A small Telegram Bot API server for tests on 127.0.0.1: enough of getMe, getUpdates (long polling),
 * sendMessage, sendPhoto (multipart), answerCallbackQuery, editMessageReplyMarkup, getFile, setMyCommands,
 * setWebhook and deleteWebhook, plus the file download path /file/bot<token>/<path>. Tests push updates and
 * read back what the bot sent; failures (429, 403) can be scripted per method and chat.
 */
export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  readonly sent: BotMessage[] = [];
  readonly commands: unknown[] = [];
  private readonly queue: Queued[] = [];
  private readonly files = new Map<string, { path: string; data: Buffer }>();
  private readonly failures: ScriptedFailure[] = [];
  private readonly pollers = new Set<() => void>();
  private server: http.Server | undefined;
  private nextUpdateId = 1;
  private nextMessageId = 1000;
  private nextCallbackId = 1;
  private nextFileId = 1;
  private confirmedOffset = 0;
  port = 0;
  /**
   * How exchange() learns an update was handled: the bot under test's TelegramChannel.whenHandled. Concurrent long
   * polling (@grammyjs/runner) confirms an update by fetching the next batch before the update is handled, so the
   * offset alone only says it was received.
   */
  settle?: (updateId: number) => Promise<void>;

  constructor(readonly token = FAKE_TOKEN) {}

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 500, description: String(err) }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const wake of this.pollers) wake();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- what a test does as the citizen -------------------------------------------------------------

  /** Queues an update; returns it (with its update_id). */
  push(partial: Omit<Update, 'update_id'>, options: { force?: boolean } = {}): Update {
    const update = { update_id: this.nextUpdateId++, ...partial } as Update;
    this.queue.push({ update, force: options.force ?? false });
    for (const wake of this.pollers) wake();
    return update;
  }

  /** Delivers an update again with its original update_id, as Telegram does when it was not confirmed. */
  redeliver(update: Update): void {
    this.queue.push({ update, force: true });
    for (const wake of this.pollers) wake();
  }

  /** Who is behind a chat (name, username), as Telegram puts it on every message; "Warga" when not set. */
  readonly users = new Map<number, { first_name: string; last_name?: string; username?: string }>();

  private userOf(chatId: number) {
    return this.users.get(chatId) ?? { first_name: 'Warga' };
  }

  private baseMessage(chatId: number) {
    const user = this.userOf(chatId);
    return {
      message_id: this.nextMessageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: 'private' as const, ...user },
      from: { id: chatId, is_bot: false, ...user },
    };
  }

  sendText(chatId: number, text: string, extra: Partial<Message> = {}): Update {
    return this.push({ message: { ...this.baseMessage(chatId), text, ...extra } as NonNullable<Update['message']> });
  }

  sendLocation(chatId: number, latitude: number, longitude: number): Update {
    return this.push({ message: { ...this.baseMessage(chatId), location: { latitude, longitude } } as NonNullable<Update['message']> });
  }

  /** Registers a downloadable file and sends it as a photo (three sizes, like Telegram). */
  sendPhoto(chatId: number, data: Buffer, options: { caption?: string; announcedSize?: number } = {}): Update {
    const fileId = this.addFile(data, 'jpg');
    const small = this.addFile(data.subarray(0, Math.min(100, data.length)), 'jpg');
    const size = options.announcedSize ?? data.length;
    const photo = [
      { file_id: small, file_unique_id: `u${small}`, width: 90, height: 60, file_size: 100 },
      { file_id: fileId, file_unique_id: `u${fileId}`, width: 1280, height: 960, file_size: size },
      { file_id: small, file_unique_id: `u${small}m`, width: 320, height: 240, file_size: 100 },
    ];
    return this.push({ message: { ...this.baseMessage(chatId), photo, caption: options.caption } as NonNullable<Update['message']> });
  }

  /** Registers a downloadable audio file and sends it as a voice note (or, kind "audio", as an audio file). */
  sendVoice(chatId: number, data: Buffer | Uint8Array, options: { duration?: number; kind?: 'voice' | 'audio'; announcedSize?: number; mime?: string } = {}): Update {
    const kind = options.kind ?? 'voice';
    const fileId = this.addFile(Buffer.from(data), kind === 'voice' ? 'oga' : 'mp3');
    const media = {
      file_id: fileId,
      file_unique_id: `u${fileId}`,
      duration: options.duration ?? 3,
      mime_type: options.mime ?? (kind === 'voice' ? 'audio/ogg' : 'audio/mpeg'),
      file_size: options.announcedSize ?? data.length,
    };
    return this.push({ message: { ...this.baseMessage(chatId), [kind]: media } as NonNullable<Update['message']> });
  }

  sendSticker(chatId: number): Update {
    const sticker = { file_id: 's', file_unique_id: 's', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false };
    return this.push({ message: { ...this.baseMessage(chatId), sticker } as NonNullable<Update['message']> });
  }

  addFile(data: Buffer, ext: string): string {
    const id = `file-${this.nextFileId++}`;
    this.files.set(id, { path: `photos/${id}.${ext}`, data });
    return id;
  }

  /** Presses the button with `value` on the bot's latest message in the chat that has it. */
  press(chatId: number, value: string): Update {
    const message = [...this.sent]
      .reverse()
      .find((m) => m.chatId === chatId && m.reply_markup?.inline_keyboard?.flat().some((b) => 'callback_data' in b && b.callback_data === value));
    if (!message) throw new Error(`no button "${value}" in chat ${chatId}; keyboards: ${JSON.stringify(this.keyboards(chatId))}`);
    return this.push({
      callback_query: {
        id: `cbq-${this.nextCallbackId++}`,
        from: { id: chatId, is_bot: false, ...this.userOf(chatId) },
        chat_instance: `ci-${chatId}`,
        data: value,
        message: {
          message_id: message.message_id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', ...this.userOf(chatId) },
          from: BOT_USER,
          text: message.text ?? message.caption ?? '',
          reply_markup: message.reply_markup,
        } as Message,
      },
    });
  }

  /** Scripts a failure for the next matching call(s). */
  fail(failure: ScriptedFailure): void {
    this.failures.push({ times: 1, ...failure });
  }

  /** Drops every scripted failure still pending: the platform takes messages again. */
  clearFailures(): void {
    this.failures.length = 0;
  }

  // ---- what a test reads back ---------------------------------------------------------------------

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messagesTo(chatId: number): BotMessage[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /** Texts (and captions) sent to a chat, joined, from message index `from` on. */
  textTo(chatId: number, from = 0): string {
    return this.messagesTo(chatId)
      .slice(from)
      .map((m) => m.text ?? m.caption ?? '')
      .join('\n---\n');
  }

  keyboards(chatId: number): string[][] {
    return this.messagesTo(chatId)
      .filter((m) => m.reply_markup?.inline_keyboard)
      .map((m) => m.reply_markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data! : b.text)));
  }

  /** True when every queued update has been fetched and confirmed by a later getUpdates offset. */
  get drained(): boolean {
    return this.queue.every((q) => q.update.update_id < this.confirmedOffset && !q.force);
  }

  /** Waits until `predicate` holds (vi.waitFor, every 10 ms); fails with `label` after `timeoutMs`. */
  async waitFor(predicate: () => boolean, label = 'condition', timeoutMs = 5_000): Promise<void> {
    await vi.waitFor(
      () => {
        if (!predicate()) throw new Error(`timed out waiting for ${label}`);
      },
      { timeout: timeoutMs, interval: 10 },
    );
  }

  /** Waits until the bot has sent at least `count` messages to the chat in total. */
  async waitForMessages(chatId: number, count: number, timeoutMs = 5_000): Promise<void> {
    await this.waitFor(() => this.messagesTo(chatId).length >= count, `${count} messages to chat ${chatId} (have ${this.messagesTo(chatId).length})`, timeoutMs);
  }

  /**
   * Pushes an update and waits until the bot fetched it, confirmed it (asked for the next offset) and handled it
   * (settle, set by the harness); returns the new texts.
   */
  async exchange(chatId: number, push: () => Update, timeoutMs = 5_000): Promise<string> {
    const before = this.messagesTo(chatId).length;
    const update = push();
    await this.waitFor(() => this.confirmedOffset > update.update_id, `update ${update.update_id} fetched`, timeoutMs);
    if (!this.settle) throw new Error('FakeTelegram.settle is not set: give it the channel\'s whenHandled');
    await this.settle(update.update_id);
    return this.textTo(chatId, before);
  }

  /** True once the bot fetched the update and asked for the ones after it. */
  fetched(update: Update): boolean {
    return this.confirmedOffset > update.update_id;
  }

  // ---- the HTTP side ------------------------------------------------------------------------------

  private async readParams(req: http.IncomingMessage): Promise<Record<string, unknown>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    if (body.length === 0) return {};
    if (type.startsWith('application/json')) return JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (type.startsWith('multipart/form-data')) {
      const params: Record<string, unknown> = {};
      for (const part of multipartParts(body, type)) {
        if (part.filename === undefined) {
          const value = part.data.toString('utf8');
          try {
            params[part.name] = JSON.parse(value);
          } catch {
            params[part.name] = value;
          }
        } else params[part.name] = { fileBytes: part.data.length };
      }
      // grammY sends attached files as a separate part referenced as "attach://<name>".
      for (const [name, value] of Object.entries(params)) {
        if (typeof value === 'string' && value.startsWith('attach://')) params[name] = params[value.slice('attach://'.length)];
      }
      return params;
    }
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const filePrefix = `/file/bot${this.token}/`;
    if (req.method === 'GET' && url.pathname.startsWith(filePrefix)) {
      const wanted = url.pathname.slice(filePrefix.length);
      const file = [...this.files.values()].find((f) => f.path === wanted);
      this.calls.push({ method: 'download', params: { path: wanted }, at: Date.now() });
      if (!file) return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(file.data.length) });
      res.end(file.data);
      return;
    }
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (!match) return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token) return this.json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2];
    const params = await this.readParams(req);
    this.calls.push({ method, params, at: Date.now() });

    const failure = this.failures.find((f) => f.method === method && (f.chatId === undefined || f.chatId === Number(params.chat_id)) && (f.times ?? 1) > 0);
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      return this.json(res, failure.errorCode, {
        ok: false,
        error_code: failure.errorCode,
        description: failure.description,
        ...(failure.retryAfter !== undefined ? { parameters: { retry_after: failure.retryAfter } } : {}),
      });
    }
    const ok = (result: unknown) => this.json(res, 200, { ok: true, result });

    switch (method) {
      case 'getMe':
        return ok(BOT_USER);
      case 'deleteWebhook':
      case 'setWebhook':
        return ok(true);
      case 'setMyCommands':
        this.commands.push(params.commands);
        return ok(true);
      case 'getUpdates':
        return ok(await this.getUpdates(Number(params.offset ?? 0), Number(params.timeout ?? 0), Number(params.limit ?? 100), req));
      case 'sendMessage':
      case 'sendPhoto': {
        const chatId = Number(params.chat_id);
        const message: BotMessage = {
          message_id: this.nextMessageId++,
          chatId,
          method,
          text: method === 'sendMessage' ? String(params.text) : undefined,
          caption: typeof params.caption === 'string' ? params.caption : undefined,
          photoBytes: method === 'sendPhoto' ? (params.photo as { fileBytes?: number })?.fileBytes : undefined,
          reply_markup: params.reply_markup as InlineKeyboardMarkup | undefined,
        };
        this.sent.push(message);
        return ok({
          message_id: message.message_id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private', first_name: 'Warga' },
          from: BOT_USER,
          ...(message.text !== undefined ? { text: message.text } : {}),
          ...(method === 'sendPhoto' ? { photo: [{ file_id: 'sent', file_unique_id: 'sent', width: 1, height: 1 }], caption: message.caption } : {}),
          ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
        });
      }
      case 'answerCallbackQuery':
        return ok(true);
      case 'editMessageReplyMarkup': {
        const target = this.sent.find((m) => m.chatId === Number(params.chat_id) && m.message_id === Number(params.message_id));
        if (!target) return this.json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
        if (!params.reply_markup && !target.reply_markup)
          return this.json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message is not modified' });
        target.reply_markup = params.reply_markup as InlineKeyboardMarkup | undefined;
        return ok(true);
      }
      case 'getFile': {
        const file = this.files.get(String(params.file_id));
        if (!file) return this.json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return ok({ file_id: params.file_id, file_unique_id: `u${params.file_id}`, file_size: file.data.length, file_path: file.path });
      }
      default:
        return this.json(res, 404, { ok: false, error_code: 404, description: `Not Found: method ${method} not faked` });
    }
  }

  private async getUpdates(offset: number, timeoutSeconds: number, limit: number, req: http.IncomingMessage): Promise<Update[]> {
    if (offset > this.confirmedOffset) this.confirmedOffset = offset;
    const take = () => {
      const out: Update[] = [];
      for (let i = 0; i < this.queue.length && out.length < limit; ) {
        const q = this.queue[i];
        if (q.force) {
          // A redelivery goes out once more, whatever the offset.
          out.push(q.update);
          this.queue.splice(i, 1);
          this.queue.push({ update: q.update, force: false });
          continue;
        }
        if (q.update.update_id >= this.confirmedOffset) out.push(q.update);
        i++;
      }
      return out;
    };
    let updates = take();
    if (updates.length > 0 || timeoutSeconds <= 0 || !this.server) return updates;
    await new Promise<void>((resolve) => {
      const wake = () => {
        this.pollers.delete(wake);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(wake, timeoutSeconds * 1000);
      this.pollers.add(wake);
      req.once('close', wake);
    });
    updates = take();
    return updates;
  }
}
