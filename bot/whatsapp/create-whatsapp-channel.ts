import makeWASocket, { downloadMediaMessage, fetchLatestBaileysVersion, type WAMessage } from '@whiskeysockets/baileys';
import type { App } from '../app.ts';
import { errorCode } from '../../lib/errors.ts';
import type { MediaDownloader } from './inbound.ts';
import { readCapped } from '../read-capped.ts';
import { WhatsAppChannel, type SocketFactory, type WhatsAppSocket } from './whatsapp-channel.ts';

/** Baileys logs a lot of protocol detail (including JIDs) below warn; keep it at warn unless debugging. */
function baileysLogLevel(appLevel: string): string {
  return appLevel === 'debug' || appLevel === 'trace' || appLevel === 'silent' ? appLevel : 'warn';
}

/** The real socket factory: Baileys' makeWASocket. */
const createBaileysSocket: SocketFactory = (config) => makeWASocket(config) as unknown as WhatsAppSocket;

/** Downloads an image through Baileys (re-requesting expired media from the sender's phone), capped in size. */
function baileysDownloader(socket: WhatsAppSocket, log: App['log']): MediaDownloader {
  return async (message: WAMessage, maxBytes: number) => {
    const stream = await downloadMediaMessage(message, 'stream', {}, {
      logger: log,
      reuploadRequest: (m) => (socket.updateMediaMessage ? socket.updateMediaMessage(m) : Promise.resolve(m)),
    });
    return readCapped(stream, maxBytes);
  };
}

/**
 * The WhatsApp channel for `npm start` (WHATSAPP_ENABLED=1), not started yet (bot/start-channels.ts starts it and
 * registers its sender). Asks for the current WhatsApp Web version first (the only network call outside the
 * socket); when that fails Baileys' built-in version is used.
 */
export async function createWhatsAppChannel(app: App): Promise<WhatsAppChannel> {
  const latest = await fetchLatestBaileysVersion().catch((err) => {
    app.log.warn({ code: errorCode(err) }, 'could not fetch the current WhatsApp Web version; using the built-in one');
    return undefined;
  });
  const logger = app.log.child({ module: 'baileys' }, { level: baileysLogLevel(app.config.LOG_LEVEL) });
  const channel = new WhatsAppChannel({
    app,
    createSocket: createBaileysSocket,
    downloader: (socket) => baileysDownloader(socket, logger),
    socketConfig: {
      logger,
      ...(latest?.version ? { version: latest.version } : {}),
      // Keep the phone getting its own notifications; the bot does not need to appear "online".
      markOnlineOnConnect: false,
      syncFullHistory: false,
    },
  });
  return channel;
}
