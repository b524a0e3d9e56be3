import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { AnyMessageContent, BaileysEventMap, proto, WAMessage } from '@whiskeysockets/baileys';
import { WhatsAppChannel, type WhatsAppChannelOptions, type WhatsAppSocket, type WhatsAppSocketConfig } from '../../bot/whatsapp/whatsapp-channel.ts';
import { readCapped } from '../../bot/read-capped.ts';
import { startChannels } from '../../bot/start-channels.ts';
import { jpegOfSize } from './images.ts';
import type { SendRate } from '../../bot/whatsapp/send-queue.ts';
import type { ReconnectPolicy } from '../../bot/whatsapp/reconnect-policy.ts';
import { afterEach } from 'vitest';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.ts';

export interface SentMessage {
  jid: string;
  content: AnyMessageContent;
  /** Text or caption, for assertions. */
  text: string;
  at: number;
}

/** A Boom-shaped close error, as Baileys puts on `lastDisconnect.error` (`output.statusCode`). */
export function disconnectError(statusCode: number): Error {
  return Object.assign(new Error(`closed with ${statusCode}`), { isBoom: true, output: { statusCode, payload: {} } });
}

/**
 * A stand-in for a Baileys 7 socket: `ev` is an EventEmitter carrying the same event names and payloads
 * (connection.update, creds.update, messages.upsert); `sendMessage` records what the bot sends; the LID
 * mapping store answers from a map the test fills.
 */
export class FakeWhatsAppSocket implements WhatsAppSocket {
  readonly ev = new EventEmitter();
  readonly sent: SentMessage[] = [];
  readonly pairingRequests: string[] = [];
  ended = false;
  /** When set, sendMessage rejects with it (the platform refusing or the link dropping mid-send). */
  failSends: Error | undefined;
  readonly lidToPn = new Map<string, string>();
  readonly signalRepository = { lidMapping: { getPNForLID: async (lid: string) => this.lidToPn.get(lid.replace(/:\d+@/, '@')) ?? null } };
  private counter = 0;

  constructor(readonly config: WhatsAppSocketConfig) {}

  async sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage> {
    if (this.failSends) throw this.failSends;
    const text = 'text' in content ? String(content.text) : 'caption' in content ? String(content.caption ?? '') : '';
    this.sent.push({ jid, content, text, at: performance.now() });
    const id = `BOT${++this.counter}`;
    return { key: { remoteJid: jid, fromMe: true, id }, message: { conversation: text } };
  }

  async requestPairingCode(phoneNumber: string): Promise<string> {
    this.pairingRequests.push(phoneNumber);
    return 'ABCD1234';
  }

  end(): void {
    this.ended = true;
  }

  emit<T extends keyof BaileysEventMap>(event: T, payload: BaileysEventMap[T]): void {
    this.ev.emit(event, payload);
  }

  open(): void {
    this.emit('connection.update', { connection: 'open' });
  }

  close(statusCode: number): void {
    this.emit('connection.update', { connection: 'close', lastDisconnect: { error: disconnectError(statusCode), date: new Date() } });
  }

  receive(message: WAMessage, type: 'notify' | 'append' = 'notify'): void {
    this.emit('messages.upsert', { messages: [message], type });
  }
}

let messageCounter = 0;

/** A 1:1 chat message as Baileys 7 delivers it; `from` is the chat JID (PN or LID), `alt` the other form. */
export function waMessage(from: string, content: proto.IMessage, overrides: { alt?: string; id?: string; fromMe?: boolean; pushName?: string } = {}): WAMessage {
  return {
    key: {
      remoteJid: from,
      remoteJidAlt: overrides.alt,
      fromMe: overrides.fromMe ?? false,
      id: overrides.id ?? `3EB0${(++messageCounter).toString(16).toUpperCase().padStart(8, '0')}`,
      addressingMode: from.endsWith('@lid') ? 'lid' : 'pn',
    },
    message: content,
    messageTimestamp: Math.floor(Date.now() / 1000),
    pushName: overrides.pushName ?? 'Ani',
  };
}

export const textContent = (text: string): proto.IMessage => ({ conversation: text });
export const imageContent = (caption?: string, fileLength = 2048): proto.IMessage => ({
  imageMessage: { mimetype: 'image/jpeg', caption, fileLength, url: 'https://mmg.whatsapp.net/fake', mediaKey: new Uint8Array(32) },
});
export const locationContent = (latitude: number, longitude: number, name?: string, address?: string): proto.IMessage => ({
  locationMessage: { degreesLatitude: latitude, degreesLongitude: longitude, name, address },
});

/** A tiny JPEG-looking payload (the adapter stores bytes; it does not decode them). */
export const FAKE_JPEG = jpegOfSize(2048);

function* chunks(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

export interface FakeWhatsApp {
  channel: WhatsAppChannel;
  sockets: FakeWhatsAppSocket[];
  /** The newest socket (after a reconnect, the new one). */
  socket(): FakeWhatsAppSocket;
  printed: string[];
  /** Emits a message on the current socket and waits until its replies are sent; returns their texts. */
  send(message: WAMessage): Promise<string[]>;
}

export const FAST_RATE: SendRate = { perChatMinGapMs: 0, overallMinGapMs: 0 };
export const FAST_RECONNECT: ReconnectPolicy = { baseDelayMs: 5, maxDelayMs: 40, maxConsecutiveFailures: 3 };

/** Starts a WhatsApp channel on a test app with a fake socket factory; opens the first connection. */
export async function startFakeWhatsApp(
  app: TestApp,
  options: Partial<Omit<WhatsAppChannelOptions, 'app' | 'createSocket'>> & { open?: boolean; media?: Buffer } = {},
): Promise<FakeWhatsApp> {
  const sockets: FakeWhatsAppSocket[] = [];
  const printed: string[] = [];
  const channel = new WhatsAppChannel({
    app,
    createSocket: (config) => {
      const socket = new FakeWhatsAppSocket(config);
      sockets.push(socket);
      return socket;
    },
    // Streams the media in 1 KiB chunks through the same capped reader the real downloader uses.
    downloader: () => async (_message, maxBytes) => readCapped(Readable.from(chunks(options.media ?? FAKE_JPEG, 1024)), maxBytes),
    print: (text) => printed.push(text),
    rate: FAST_RATE,
    reconnect: FAST_RECONNECT,
    ...options,
  });
  await startChannels(app, [channel]);
  if (options.open ?? true) {
    sockets.at(-1)!.open();
    await channel.idle();
  }
  const socket = () => sockets.at(-1)!;
  return {
    channel,
    sockets,
    socket,
    printed,
    async send(message) {
      const current = socket();
      const before = current.sent.length;
      current.receive(message);
      await channel.idle();
      return current.sent.slice(before).map((s) => s.text);
    },
  };
}

export type FakeWhatsAppOptions = Parameters<typeof startFakeWhatsApp>[1];

/**
 * For a test file: returns `setup()`, which makes a test app with a fake WhatsApp channel, and stops and removes
 * every one of them after each test.
 */
export function useFakeWhatsApp() {
  let started: Array<{ app: TestApp; wa: FakeWhatsApp }> = [];
  afterEach(async () => {
    for (const { wa } of started) await wa.channel.stop();
    for (const { app } of started) await app.cleanup().catch(() => undefined);
    started = [];
  });
  return async function setup(options: FakeWhatsAppOptions = {}, appOptions: TestAppOptions = {}) {
    const app = await createTestApp(appOptions);
    const wa = await startFakeWhatsApp(app, options);
    started.push({ app, wa });
    return { app, wa };
  };
}
