import type { Language } from './messages.ts';
import { fillTemplate } from './fill-template.ts';

/**
 * What the citizen reads about a voice note (flows/citizen/voice-note.ts). Short and polite: a voice note that
 * cannot be used loses nothing of the report, and the citizen can always type instead.
 */
const TEXTS = {
  id: {
    notConfigured: 'Mohon maaf, Kak, pesan suara belum bisa kami baca. Mohon ketik laporannya, ya. 🙏',
    heard: '🎙️ Ini yang kami dengar dari pesan suara Kakak:\n\n"{transcript}"\n\nSudah benar? Balas ya untuk memakai teks ini, atau ketik perbaikannya.',
    choiceUse: 'Ya, benar',
    choiceCancel: 'Batal',
    cancelled: 'Baik, pesan suara tadi tidak dipakai. Silakan lanjutkan dengan mengetik atau kirim pesan suara lagi.',
    tooLong: 'Mohon maaf, pesan suaranya terlalu panjang untuk kami baca (paling lama {seconds} detik). Mohon kirim yang lebih singkat atau ketik saja, ya.',
    tooLarge: 'Mohon maaf, berkas suaranya terlalu besar untuk kami terima. Mohon kirim yang lebih singkat atau ketik saja, ya.',
    empty: 'Mohon maaf, kami tidak menangkap kata-kata dalam pesan suara tadi. Boleh diulang lebih jelas, atau diketik saja?',
    failed: 'Mohon maaf, pesan suara Kakak belum bisa kami baca saat ini. Mohon ketik laporannya, atau coba kirim lagi sebentar lagi. Laporan Kakak sejauh ini tetap tersimpan.',
    unreadable: 'Mohon maaf, berkas suara itu tidak bisa kami buka. Mohon kirim pesan suara biasa atau ketik saja, ya.',
  },
  en: {
    notConfigured: 'Sorry, we cannot read voice messages yet. Please type your report. 🙏',
    heard: '🎙️ This is what we heard in your voice message:\n\n"{transcript}"\n\nIs it right? Reply yes to use this text, or type the correction.',
    choiceUse: 'Yes, correct',
    choiceCancel: 'Cancel',
    cancelled: 'All right, that voice message is not used. Please go on by typing, or send another voice message.',
    tooLong: 'Sorry, the voice message is too long for us to read (at most {seconds} seconds). Please send a shorter one or just type.',
    tooLarge: 'Sorry, the audio file is too large for us to take. Please send a shorter one or just type.',
    empty: 'Sorry, we could not make out any words in that voice message. Could you say it again more clearly, or type it?',
    failed: 'Sorry, we cannot read your voice message right now. Please type your report, or try again in a moment. Your report so far is kept.',
    unreadable: 'Sorry, we could not open that audio file. Please send a normal voice message or just type.',
  },
} as const;

export type VoiceNoteTextKey = keyof (typeof TEXTS)['id'];

export function voiceText(lang: Language, key: VoiceNoteTextKey, params: Record<string, string | number> = {}): string {
  return fillTemplate(TEXTS[lang][key], params);
}
