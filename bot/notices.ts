import type { Language } from '../flows/types.ts';

/**
 * The few texts the channel layer itself sends (everything else comes from the flows): when a message could not
 * be taken (so it is never lost in silence) and when someone writes to the bot from a group.
 */
const TEXTS = {
  sendAgain: {
    id: 'Maaf Kak, pesan Kakak belum sempat kami proses karena sistem sedang sibuk. Mohon kirim ulang beberapa saat lagi, ya.',
    en: 'Sorry, we could not process your message because the system is busy. Please send it again in a moment.',
  },
  privateOnly: {
    id:
      'Halo! Bot layanan pengaduan ini hanya melayani chat pribadi, supaya laporan dan data pelapor tetap terjaga. ' +
      'Silakan kirim laporan lewat chat pribadi ke bot ini ya, Kak. Pesan di grup tidak kami simpan.',
    en:
      'Hello! This complaint service bot only works in private chats, to keep reports and reporters’ details safe. ' +
      'Please send your report in a private chat with this bot. Messages in groups are not kept.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type ChannelNotice = keyof typeof TEXTS;

export function channelNotice(notice: ChannelNotice, lang: Language): string {
  return TEXTS[notice][lang];
}
