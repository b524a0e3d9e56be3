import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import type { App } from '../app.ts';
import type { InboundAttachment, InboundMessage, Reply } from '../../flows/types.ts';
import { makeConversationKey } from '../../flows/conversation-key.ts';
import { renderReply } from './render.ts';
import { photoProblem, storeAttachment } from '../store-attachment.ts';

export interface TerminalOptions {
  /** Who the terminal speaks as; each identity is its own conversation (term:<identity>). */
  identity: string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * Terminal lines to a neutral message. Besides plain text it understands
 * `/foto <file>` (send a photo) and `/lokasi <lat>,<lon> [label]` (share a location).
 */
async function parseTerminalLine(app: App, key: string, line: string): Promise<InboundMessage> {
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

/** Talks to the flows from a terminal. Reads line by line, so it can be scripted through a pipe. */
export async function runTerminal(app: App, options: TerminalOptions): Promise<void> {
  const output = options.output ?? process.stdout;
  const input = options.input ?? process.stdin;
  const key = makeConversationKey('term', options.identity);
  const interactive = Boolean((input as NodeJS.ReadStream).isTTY);
  const print = (reply: Reply) => output.write(`${renderReply(reply)}\n\n`);

  app.outbox.register({
    channel: 'term',
    accepts: (conversationKey) => conversationKey === key,
    async send(_key, reply) {
      output.write('[notifikasi]\n');
      print(reply);
    },
  });

  if (interactive) output.write(`Terminal ${app.profile.name} (sebagai "${options.identity}"). Ketik pesan; Ctrl+D untuk keluar.\n`);
  // Notifications that arrived while this identity was away come first, as a chat app would show them.
  // (Before readline starts: lines it reads while nobody iterates would be lost.)
  await app.outbox.drainOnce();
  const rl = readline.createInterface({ input, terminal: false });
  if (interactive) output.write('> ');
  for await (const line of rl) {
    if (!interactive && line.trim() === '') continue;
    const message = await parseTerminalLine(app, key, line);
    const replies = await app.engine.handle(message);
    for (const reply of replies) print(reply);
    await app.outbox.drainOnce();
    if (interactive) output.write('> ');
  }
  await app.outbox.drainOnce();
}
