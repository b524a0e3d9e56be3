import type { Language } from './messages.ts';
import { fillTemplate } from './fill-template.ts';

/** What a citizen reads when their report looks like an open case (flows/citizen/intake-extras.ts). */
const TEXTS = {
  id: {
    offer:
      'Kak, sepertinya masalah yang sama sudah dilaporkan warga lain dan sedang ditangani:\n{cases}\n\nMau mendukung laporan itu saja? Kakak akan ikut dikabari perkembangannya. Atau tetap kirim laporan Kakak sendiri.',
    caseLine: '• {trackingId} · {category} · {status} · {age}',
    support: 'Dukung {trackingId}',
    fileOwn: 'Kirim laporan saya',
    supportFailed: 'Mohon maaf, laporan {trackingId} sudah tidak bisa didukung (mungkin baru saja selesai). Laporan Kakak masih di sini; balas ya untuk mengirimnya.',
    today: 'masuk hari ini',
    yesterday: 'masuk kemarin',
    daysAgo: 'masuk {days} hari lalu',
  },
  en: {
    offer:
      'It looks like someone has already reported the same problem, and it is being handled:\n{cases}\n\nWould you like to support that report instead? You will be told of its progress. Or send your own report anyway.',
    caseLine: '• {trackingId} · {category} · {status} · {age}',
    support: 'Support {trackingId}',
    fileOwn: 'Send my report',
    supportFailed: 'Sorry, report {trackingId} can no longer be supported (it may have just closed). Your report is still here; reply yes to send it.',
    today: 'filed today',
    yesterday: 'filed yesterday',
    daysAgo: 'filed {days} days ago',
  },
} as const;

export type SameProblemTextKey = keyof (typeof TEXTS)['id'];

export function sameProblemText(lang: Language, key: SameProblemTextKey, params: Record<string, string | number> = {}): string {
  return fillTemplate(TEXTS[lang][key], params);
}

/** "masuk 3 hari lalu": whole days between submission and now. */
export function ageText(lang: Language, submittedAt: Date, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - submittedAt.getTime()) / 86_400_000));
  return days === 0 ? sameProblemText(lang, 'today') : days === 1 ? sameProblemText(lang, 'yesterday') : sameProblemText(lang, 'daysAgo', { days });
}
