import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import type { App } from '../app.ts';
import type { InboundAttachment, InboundMessage, Reply } from '../../flows/types.ts';
import { makeConversationKey } from '../../domain/conversation-key.ts';
import { KeyedQueue } from '../../lib/keyed-queue.ts';
import { errorCode } from '../../lib/errors.ts';
import type { Channel } from '../channel.ts';
import { outboxSender } from '../deliver-replies.ts';
import { handleInbound } from '../handle-inbound.ts';
import { renderReply } from './render.ts';
import { photoProblem, storeAttachment } from '../store-attachment.ts';

export interface TerminalOptions {
  /** Who the terminal speaks as; each identity is its own conversation (term:<identity>). */
  identity: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

type TerminalApp = Pick<App, 'config' | 'db' | 'handle' | 'log' | 'outbox' | 'profile'>;

/**
 * Terminal lines to a neutral message. Besides plain text it understands
 * `/foto <file>` (send a photo) and `/lokasi <lat>,<lon> [label]` (share a location).
 */
async function parseTerminalLine(app: TerminalApp, key: string, line: string): Promise<InboundMessage> {
  const base = { key, channel: 'term' as const, messageId: randomUUID(), sender: { id: key }, receivedAt: new Date() };
  const photo = /^\/(?:foto|photo)\s+(.+)$/i.exec(line.trim());
  if (photo) {
    const file = path.resolve(photo[1].trim());
    if (!fs.existsSync(file)) return { ...base, text: line };
    let stored;
    try {
      stored = await storeAttachment(app.config.DATA_DIR, fs.readFileSync(file), { key });
    } catch (err) {
      return { ...base, unsupported: photoProblem(err) };
    }
    const attachment: InboundAttachment = { kind: 'photo', path: stored.path, size: stored.size, mime: stored.mime };
    return { ...base, attachments: [attachment] };
  }
  const pin = /^\/(?:lokasi|location)\s+(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)(?:\s+(.+))?$/i.exec(line.trim());
  if (pin) {
    return { ...base, attachments: [{ kind: 'location', latitude: Number(pin[1]), longitude: Number(pin[2]), label: pin[3] }] };
  }
  return { ...base, text: line };
}

export interface TerminalChannel extends Channel {
  readonly conversationKey: string;
}

/**
 * The terminal channel: reads lines (so it can be scripted through a pipe) as one identity and prints replies
 * and that identity's notifications. Notifications show while the chat is open and idle too, as the outbox
 * dispatcher delivers them (the process runs its poller); the per-chat queue keeps them from cutting into the
 * replies to a line. `ended` resolves when the input is over.
 */
export function createTerminalChannel(app: TerminalApp, options: TerminalOptions): TerminalChannel {
  const output = options.output ?? process.stdout;
  const input = options.input ?? process.stdin;
  const key = makeConversationKey('term', options.identity);
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const queue = new KeyedQueue<string>();
  const print = (reply: Reply) => output.write(`${renderReply(reply)}\n\n`);
  const prompt = () => {
    if (interactive) output.write('> ');
  };
  let rl: readline.Interface | undefined;
  let reading: Promise<void> | undefined;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve;
  });

  const sender = outboxSender(app, {
    channel: 'term',
    claims: { keys: [key] },
    send: (_key, reply) =>
      queue.run(key, async () => {
        output.write(interactive ? '\n[notifikasi]\n' : '[notifikasi]\n');
        print(reply);
        prompt();
      }),
  });

  async function readLines(lines: readline.Interface): Promise<void> {
    for await (const line of lines) {
      if (!interactive && line.trim() === '') continue;
      await queue.run(key, async () => {
        const message = await parseTerminalLine(app, key, line);
        await handleInbound(app, message, async (_key, reply) => void print(reply));
      });
      // What this line caused for this identity (an admin's own notices) shows right after its replies.
      await app.outbox.drainOnce();
      prompt();
    }
    await app.outbox.drainOnce();
  }

  return {
    name: 'term',
    conversationKey: key,
    sender,
    ended,
    async start() {
      if (interactive) output.write(`Terminal ${app.profile.name} (sebagai "${options.identity}"). Ketik pesan; Ctrl+D untuk keluar.\n`);
      // Notifications that arrived while this identity was away come first, as a chat app would show them.
      // (Before readline starts: lines it reads while nobody iterates would be lost.)
      await app.outbox.drainOnce();
      rl = readline.createInterface({ input, terminal: false });
      prompt();
      reading = readLines(rl).then(resolveEnded, (err: unknown) => {
        app.log.error({ code: errorCode(err) }, 'terminal input failed');
        resolveEnded();
      });
    },
    async stop() {
      rl?.close();
      await reading;
    },
  };
}
