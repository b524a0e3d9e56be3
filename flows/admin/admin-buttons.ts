import type { CityProfile } from '../../lib/city-profile.ts';
import type { AdminCaseRecord } from '../../db/admin-queries.ts';
import type { AdminViewer } from '../../domain/case-access.ts';
import type { Choice, Reply } from '../types.ts';
import type { AdminCommand } from './admin-commands.ts';
import { mayRouteTo } from '../../domain/case-access.ts';
import { disposableUnits } from '../../domain/route-case.ts';
import { encodeActionToken, trackingCodeOf, type ButtonAction } from '../../domain/admin-actions.ts';

/**
 * What a press of an action button (or its number) leads to, pure: the command it stands for, or the question the
 * action still needs answered (which OPD, which unit, which reason, what text). The handler runs the command
 * through the same checks as a typed one.
 */
export type PressOutcome = { kind: 'command'; command: Exclude<AdminCommand, { name: 'statistik' | 'inbox' | 'cari' | 'admin' | 'bantuan' }> } | { kind: 'replies'; replies: Reply[] };

/** Common reasons for /tolak, as Malang's admins write them; "lainnya" asks for the admin's own words. */
export const REJECT_REASONS: readonly string[] = [
  'Bukan kewenangan Pemerintah Kota Malang.',
  'Laporan kurang jelas. Mohon kirim laporan baru dengan lokasi dan keterangan yang lengkap.',
  'Bukan pengaduan layanan publik.',
  'Laporan ganda: masalah yang sama sudah dilaporkan dan sedang ditangani.',
  'Isi laporan tidak pantas atau bukan pengaduan.',
];

/** The "lainnya" choice among the reasons: the admin writes the reason. */
const OTHER_REASON = 'X';

/** Case events that move a case (a stale press names who made the last of them). */
const MOVING_EVENTS = new Set(['verified', 'forwarded', 'returned', 'rejected', 'answered', 'closed', 'satisfied', 'reopened', 'closed_unresolved', 'auto_closed', 'disposed', 'unit_returned']);

/** "Sudah diproses oleh …": the press changes nothing and says who moved the case and where it is now. */
export function staleText(view: Pick<AdminCaseRecord, 'trackingId' | 'status' | 'events'>, labels: Record<string, string>): string {
  const last = [...view.events].reverse().find((e) => MOVING_EVENTS.has(e.action));
  const by = last ? ` oleh ${last.actor}` : '';
  return `Laporan ${view.trackingId} sudah diproses${by} (status sekarang: ${labels[view.status] ?? view.status}). Tombol itu sudah tidak berlaku; tidak ada yang diubah.`;
}

interface PressContext {
  channel: string;
  profile: CityProfile;
  viewer: AdminViewer;
  /** The case's current version, for the follow-up buttons. */
  version: string;
  arg?: string;
}

/** A prompt for the text an action needs: on Telegram a reply to this message is that text (force reply). */
function askText(view: AdminCaseRecord, command: 'balas' | 'tolak' | 'kembalikan' | 'catatan', what: string, example: string, channel: string): Reply {
  const typed = `/${command} ${view.trackingId} ${example}`;
  if (channel === 'tg') {
    return { text: `✍️ Tulis ${what} untuk ${view.trackingId} sebagai balasan pesan ini.\n(Atau ketik: ${typed})`, caseRef: view.trackingId, expectReply: command };
  }
  // Elsewhere a quoted reply would only answer the case (balas); any other text is typed as the command.
  return command === 'balas'
    ? { text: `✍️ Tulis ${what} untuk ${view.trackingId}: balas (reply) pesan ini, atau ketik ${typed}`, caseRef: view.trackingId }
    : { text: `✍️ Ketik ${what} untuk ${view.trackingId} seperti ini:\n${typed}` };
}

function keyboard(text: string, view: AdminCaseRecord, choices: Choice[]): Reply {
  return { text, caseRef: view.trackingId, choices, keepChoices: true };
}

export function actionFollowUp(action: ButtonAction, view: AdminCaseRecord, ctx: PressContext): PressOutcome {
  const trackingId = view.trackingId;
  const code = trackingCodeOf(trackingId);
  const token = (arg: string) => encodeActionToken({ action, code, version: ctx.version, arg });
  const tg = ctx.channel === 'tg';
  const replies = (...r: Reply[]): PressOutcome => ({ kind: 'replies', replies: r });
  switch (action) {
    case 'verify':
      return { kind: 'command', command: { name: 'verifikasi', trackingId, codes: [] } };
    case 'forward': {
      if (ctx.arg) return { kind: 'command', command: { name: 'teruskan', trackingId, codes: [ctx.arg] } };
      // The suggested OPD first; never the OPD the complaint accuses.
      const opds = ctx.profile.opds.filter((o) => mayRouteTo(view, o.code));
      const ordered = [...opds.filter((o) => o.code === view.opdCode), ...opds.filter((o) => o.code !== view.opdCode)];
      if (tg) return replies(keyboard(`📨 Teruskan ${trackingId} ke OPD mana?${view.opdCode ? ` (saran: ${view.opdCode})` : ''}`, view, ordered.map((o) => ({ label: o.code === view.opdCode ? `⭐ ${o.code}` : o.code, value: token(o.code) }))));
      return replies({ text: [`📨 Teruskan ${trackingId}: ketik /teruskan ${trackingId} ${view.opdCode ?? '<OPD>'} [kategori]`, `Kode OPD: ${ordered.map((o) => o.code).join(', ')}`].join('\n') });
    }
    case 'dispose': {
      if (ctx.arg) return { kind: 'command', command: { name: 'disposisi', trackingId, unit: ctx.arg } };
      const units = view.opdCode ? disposableUnits(ctx.profile, view.opdCode, view.accusedUnitCode) : [];
      if (units.length === 0) return replies({ text: `${view.opdCode ?? 'OPD ini'} tidak punya unit untuk disposisi.` });
      if (tg) return replies(keyboard(`🏢 Disposisi ${trackingId} ke unit mana?`, view, units.map((u) => ({ label: u.name, value: token(u.code) }))));
      return replies({ text: [`🏢 Disposisi ${trackingId}: ketik /disposisi ${trackingId} <kode unit>`, ...units.map((u) => `• ${u.code} — ${u.name}`)].join('\n') });
    }
    case 'reject': {
      if (ctx.arg === OTHER_REASON) return replies(askText(view, 'tolak', 'alasan penolakan', '<alasan>', ctx.channel));
      const index = ctx.arg ? Number(ctx.arg) - 1 : -1;
      if (ctx.arg && REJECT_REASONS[index]) return { kind: 'command', command: { name: 'tolak', trackingId, text: REJECT_REASONS[index] } };
      if (tg) {
        return replies(
          keyboard(`⛔ Alasan menolak ${trackingId}? (dikirim ke pelapor)`, view, [
            ...REJECT_REASONS.map((reason, i) => ({ label: reason.length > 60 ? `${reason.slice(0, 59)}…` : reason, value: token(String(i + 1)) })),
            { label: 'Lainnya (tulis sendiri)', value: token(OTHER_REASON) },
          ]),
        );
      }
      return replies({ text: [`⛔ Tolak ${trackingId}: ketik /tolak ${trackingId} <alasan>. Alasan yang umum:`, ...REJECT_REASONS.map((r) => `• ${r}`)].join('\n') });
    }
    case 'answer':
      return replies(askText(view, 'balas', 'tanggapan untuk pelapor', '<tanggapan>', ctx.channel));
    case 'return':
      return replies(askText(view, 'kembalikan', ctx.viewer.unitCode ? 'alasan mengembalikan ke OPD' : 'alasan mengembalikan (bukan wewenang)', '<alasan>', ctx.channel));
    case 'note':
      return replies(askText(view, 'catatan', 'catatan internal (tidak terlihat pelapor)', '<catatan>', ctx.channel));
  }
}
