import type { NeverDeliverableReason } from './delivery-route.ts';

/**
 * What the admin instansi reads when notifications cannot ever be delivered (domain/delivery-route.ts). An
 * admin's key is named, with how to fix it; a citizen's never is (it may be an anonim reporter's number): only
 * the case's tracking id, which the admin instansi may see for every case.
 */

const REASON_TEXT: Record<NeverDeliverableReason, string> = {
  UNKNOWN_CHANNEL: 'salurannya tidak dikenal bot ini',
  WA_OTHER_ACCOUNT: 'kuncinya untuk akun WhatsApp lain, bukan akun bot ini ({account})',
  WA_NOT_PRIVATE: 'alamatnya grup, siaran atau saluran WhatsApp, bukan chat pribadi',
  TG_GROUP: 'alamatnya grup atau kanal Telegram, bukan chat pribadi',
};

export function undeliverableReasonText(reason: string, whatsappAccount: string): string {
  const text = REASON_TEXT[reason as NeverDeliverableReason] ?? reason;
  return text.replace('{account}', whatsappAccount);
}

export interface UndeliverableNotice {
  reason: string;
  whatsappAccount: string;
  /** Set when the notifications were for an admin. */
  admin?: { name: string; conversationKey: string };
  /** Tracking ids of the cases the lost notifications were about (citizens' notifications). */
  trackingIds: string[];
  count: number;
}

export function undeliverableNoticeText(notice: UndeliverableNotice): string {
  const why = undeliverableReasonText(notice.reason, notice.whatsappAccount);
  if (notice.admin) {
    return [
      `⚠️ ${notice.count} notifikasi untuk admin ${notice.admin.name} (${notice.admin.conversationKey}) tidak bisa dikirim: ${why}.`,
      `Mohon perbaiki kuncinya: /admin hapus ${notice.admin.conversationKey}, lalu tambahkan lagi dengan kunci chat pribadinya (tg:<chat id> atau wa:${notice.whatsappAccount}:<nomor>@s.whatsapp.net).`,
    ].join('\n');
  }
  const cases = notice.trackingIds.length > 0 ? ` (laporan ${notice.trackingIds.join(', ')})` : '';
  return `⚠️ ${notice.count} notifikasi untuk pelapor${cases} tidak bisa dikirim: ${why}. Pelapor tidak menerima kabar lewat chat; mohon hubungi lewat cara lain bila perlu.`;
}
