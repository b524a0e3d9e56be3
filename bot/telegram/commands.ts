import type { BotCommand } from 'grammy/types';

/** The command menu Telegram shows next to the text box; set at start-up. Descriptions in Indonesian. */
export const BOT_COMMANDS: BotCommand[] = [
  { command: 'start', description: 'Mulai dan tampilkan menu utama' },
  { command: 'help', description: 'Bantuan cara melapor' },
  { command: 'status', description: 'Cek status laporan, mis. /status LPR-ABC234' },
  { command: 'lang', description: 'Ganti bahasa: /lang id atau /lang en' },
  { command: 'batal', description: 'Batalkan laporan yang sedang dibuat' },
];
