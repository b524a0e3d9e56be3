import type { CityProfile } from '../../lib/city-profile.ts';
import type { Logger } from '../../lib/logger.ts';
import type { WorkingCalendar } from '../../lib/working-days.ts';
import type { Db } from '../../db/client.ts';
import type { MessageHandler } from '../engine.ts';
import type { Reply } from '../types.ts';
import { AdminError, findActiveAdmin, listActiveAdmins, removeAdmin, type AdminRecord } from '../../db/admins.ts';
import { addAdmin } from '../../cases/manage-admins.ts';
import { adminWelcomeText } from '../../domain/case-notices.ts';
import { loadCaseForAdmin, loadInbox } from '../../cases/admin-inbox.ts';
import type { ActionDeps, ActionRefusal, ActionResult, Actor } from '../../cases/change-case.ts';
import { verifyCase } from '../../cases/verify-case.ts';
import { forwardCase } from '../../cases/forward-case.ts';
import { rejectCase } from '../../cases/reject-case.ts';
import { answerCase } from '../../cases/answer-case.ts';
import { returnCase } from '../../cases/return-case.ts';
import { addNote } from '../../cases/note-case.ts';
import { closeCase } from '../../cases/close-case.ts';
import { enqueueNotification } from '../../cases/notify.ts';
import { adminHelp, commandAllowed, parseAdminCommand, usageText, type AdminCommand, type AdminCommandName } from './admin-commands.ts';
import { ADMIN_STATUS_LABELS, redactForViewer, renderCase, renderInbox } from './admin-views.ts';

export interface AdminInterfaceDeps {
  profile: CityProfile;
  calendar: WorkingCalendar;
  log: Logger;
  /** WHATSAPP_ACCOUNT, for checking the keys of admins added with /admin tambah. */
  whatsappAccount?: string;
}

/** Passive verb of each case command, for refusals ("… jadi belum bisa diteruskan"). */
const COMMAND_VERB: Partial<Record<AdminCommandName, string>> = {
  verifikasi: 'diverifikasi',
  teruskan: 'diteruskan',
  tolak: 'ditolak',
  balas: 'dijawab',
  kembalikan: 'dikembalikan',
  catatan: 'diberi catatan',
  tutup: 'ditutup',
};

const notFound = (trackingId: string) => `Laporan ${trackingId} tidak ditemukan atau bukan wewenang Anda.`;

function dateFormatter(timeZone: string, withTime: boolean): (d: Date) => string {
  const format = new Intl.DateTimeFormat('id-ID', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
  });
  return (d) => format.format(d);
}

function refusalText(refusal: ActionRefusal, trackingId: string, name: AdminCommandName, profile: CityProfile): string {
  const verb = COMMAND_VERB[name] ?? 'diproses';
  switch (refusal.code) {
    case 'NOT_FOUND':
      return notFound(trackingId);
    case 'NOT_FORWARDED_YET':
      return `Laporan ${trackingId} belum diteruskan ke OPD (status: ${ADMIN_STATUS_LABELS[refusal.status]}), jadi belum bisa ${verb}.`;
    case 'ALREADY_FINISHED':
      return `Laporan ${trackingId} sudah ${refusal.status === 'rejected' ? 'ditolak' : 'selesai (ditutup)'}, jadi tidak bisa ${verb} lagi.`;
    case 'ALREADY_DONE':
      return `Laporan ${trackingId} sudah ${ADMIN_STATUS_LABELS[refusal.status]}; tidak perlu ${verb} lagi.`;
    case 'WRONG_STATUS': {
      const allowed = refusal.allowed.map((s) => `"${ADMIN_STATUS_LABELS[s]}"`).join(', ');
      return `Laporan ${trackingId} berstatus "${ADMIN_STATUS_LABELS[refusal.status]}"; /${name} hanya bisa untuk laporan berstatus ${allowed}.`;
    }
    case 'UNKNOWN_OPD':
      return `Kode OPD "${refusal.value}" tidak dikenal. Kode yang ada: ${profile.opds.map((o) => o.code).join(', ')}.`;
    case 'UNKNOWN_CATEGORY':
      return `Kode "${refusal.value}" bukan kategori atau OPD yang dikenal. Kategori: ${profile.categories.map((c) => c.code).join(', ')}. OPD: ${profile.opds.map((o) => o.code).join(', ')}.`;
    case 'NOT_DUE':
      return `Laporan ${trackingId} belum waktunya ditutup otomatis.`;
    case 'NO_OPD':
      return `Laporan ${trackingId} belum punya OPD tujuan. Sebutkan kodenya: /teruskan ${trackingId} <kode OPD>`;
  }
}

const ADMIN_ERROR_TEXT: Record<string, string> = {
  ADMIN_ROLE_INVALID: 'Peran admin harus instansi atau penghubung.',
  ADMIN_OPD_REQUIRED: 'Admin penghubung perlu kode OPD.',
  ADMIN_OPD_UNKNOWN: 'Kode OPD itu tidak dikenal.',
  ADMIN_KEY_INVALID: 'Kunci percakapan tidak valid. Contoh: tg:123456, wa:main:62812xxxx@s.whatsapp.net, term:budi.',
  ADMIN_KEY_OTHER_ACCOUNT: 'Kunci WhatsApp itu untuk akun lain, bukan akun bot ini. Pakai wa:<akun bot>:<nomor>@s.whatsapp.net (lihat WHATSAPP_ACCOUNT).',
  ADMIN_KEY_NOT_PRIVATE: 'Admin harus memakai chat pribadi, bukan grup atau kanal. Pakai chat id pribadi (tg:123456) atau nomor WhatsApp (wa:<akun bot>:<nomor>@s.whatsapp.net).',
  ADMIN_NOT_FOUND: 'Tidak ada admin aktif dengan kunci itu.',
  ADMIN_LAST_INSTANSI: 'Admin instansi terakhir tidak bisa dihapus. Tambahkan admin instansi lain dulu.',
  ADMIN_NAME_REQUIRED: 'Nama admin wajib diisi.',
};

/**
 * The admin command interface as a step of the engine's pipeline: parse → authorize → act → replies. Anyone who is
 * not an active admin falls through to the citizen flow, which answers an unknown "/x" the same way for
 * everybody, so the commands reveal nothing to outsiders.
 */
export function createAdminHandler(deps: AdminInterfaceDeps): MessageHandler {
  const formatDate = dateFormatter(deps.profile.timezone, false);
  const formatDateTime = dateFormatter(deps.profile.timezone, true);
  return async (message, ctx) => {
    const text = (message.choice ?? message.text ?? '').trim();
    if (!text) return undefined;
    let parsed = parseAdminCommand(text);
    // Most messages are citizens' words: look the sender up only when this could be an admin's command or reply.
    if (!parsed && !(message.replyToCase && !text.startsWith('/'))) return undefined;
    const admin = await findActiveAdmin(ctx.db, message.key);
    if (!admin) return undefined;
    // A reply to the bot's message about a case answers that case (Telegram's reply feature).
    if (!parsed && message.replyToCase && !text.startsWith('/')) {
      parsed = { ok: true, command: { name: 'balas', trackingId: message.replyToCase, text } };
    }
    if (!parsed) return undefined;
    if (!parsed.ok) {
      if (parsed.problem === 'badId') return [{ text: `Nomor laporan "${parsed.value}" tidak valid. Contoh yang benar: LPR-ABC234 (boleh #LPR-ABC234 atau abc234).` }];
      return [{ text: usageText(parsed.name) }];
    }
    const command = parsed.command;
    // /statistik has its own handler (before this one in flows/pipeline.ts); never answer it here.
    if (command.name === 'statistik') return undefined;
    if (!commandAllowed(admin.role, command.name)) {
      return [{ text: `Perintah /${command.name} hanya untuk admin instansi. Ketik /bantuan untuk perintah Anda.` }];
    }
    const replies = await run(command, admin, { db: ctx.db, calendar: deps.calendar, now: ctx.now, viewer: admin });
    deps.log.info({ command: command.name, adminId: admin.id }, 'admin command');
    return replies;
  };

  async function run(command: Exclude<AdminCommand, { name: 'statistik' }>, admin: AdminRecord, actionDeps: ActionDeps): Promise<Reply[]> {
    const { db, now } = actionDeps;
    switch (command.name) {
      case 'bantuan':
        return [{ text: adminHelp(admin.role, command.topic) }];
      case 'inbox':
        return renderInbox(await loadInbox(db, admin, now), formatDate);
      case 'admin':
        return runAdminCommand(db, command, admin, now);
      default:
        break;
    }
    // Every other command is about one case the admin must be allowed to see.
    const view = await loadCaseForAdmin(db, admin, command.trackingId);
    if (!view) return [{ text: notFound(command.trackingId) }];
    if (command.name === 'kasus') return renderCase(redactForViewer(view, admin), formatDateTime);
    const actor: Actor = { type: 'admin', id: admin.id };
    const id = command.trackingId;
    let result: ActionResult;
    switch (command.name) {
      case 'verifikasi': {
        const { categoryCode, opdCode, unknown } = splitCodes(command.codes, deps.profile);
        if (unknown) return [{ text: refusalText({ code: 'UNKNOWN_CATEGORY', value: unknown }, id, command.name, deps.profile) }];
        result = await verifyCase(actionDeps, actor, id, { categoryCode, opdCode });
        if (result.ok) return [{ text: `✅ ${id} terverifikasi (OPD tujuan: ${result.opdCode ?? '-'}). Pelapor sudah dikabari.\nTeruskan: /teruskan ${id} ${result.opdCode ?? '<OPD>'}`, caseRef: id }];
        break;
      }
      case 'teruskan': {
        result = await forwardCase(actionDeps, actor, id, command.opdCode);
        if (result.ok) {
          const opdAdmins = await listActiveAdmins(db, { role: 'penghubung', opdCode: result.opdCode ?? '' });
          const warning = opdAdmins.length
            ? `Admin OPD (${opdAdmins.length}) dan pelapor sudah dikabari.`
            : `Pelapor sudah dikabari. ⚠️ ${result.opdCode} belum punya admin penghubung; tambahkan dengan /admin tambah penghubung ${result.opdCode} <kunci> <nama>.`;
          return [{ text: `✅ ${id} diteruskan ke ${result.opdName} (${result.opdCode}). ${warning}`, caseRef: id }];
        }
        break;
      }
      case 'tolak':
        result = await rejectCase(actionDeps, actor, id, command.text);
        if (result.ok) return [{ text: `✅ ${id} ditolak. Alasannya sudah dikirim ke pelapor.`, caseRef: id }];
        break;
      case 'balas':
        result = await answerCase(actionDeps, actor, id, command.text);
        if (result.ok) return [{ text: `✅ Tanggapan untuk ${id} dikirim ke pelapor. Pelapor diminta menjawab puas atau belum.`, caseRef: id }];
        break;
      case 'kembalikan':
        result = await returnCase(actionDeps, actor, id, command.text);
        if (result.ok) return [{ text: `✅ ${id} dikembalikan ke admin instansi (bukan wewenang). Terima kasih.`, caseRef: id }];
        break;
      case 'catatan':
        result = await addNote(actionDeps, actor, id, command.text);
        if (result.ok) return [{ text: `📝 Catatan internal disimpan di ${id}. Pelapor tidak melihatnya.`, caseRef: id }];
        break;
      case 'tutup':
        result = await closeCase(actionDeps, actor, id, command.text);
        if (result.ok) return [{ text: `✅ ${id} ditutup. Pelapor sudah dikabari.`, caseRef: id }];
        break;
    }
    return [{ text: refusalText(result.refusal, id, command.name, deps.profile), caseRef: id }];
  }

  async function runAdminCommand(db: Db, command: Extract<AdminCommand, { name: 'admin' }>, admin: AdminRecord, now: Date): Promise<Reply[]> {
    try {
      switch (command.sub) {
        case 'daftar': {
          const admins = await listActiveAdmins(db);
          return [
            {
              text: ['Admin aktif:', ...admins.map((a) => `• ${a.name} · ${a.role}${a.opdCode ? ` ${a.opdCode}` : ''} · ${a.conversationKey}`)].join('\n'),
            },
          ];
        }
        case 'hapus': {
          const removed = await removeAdmin(db, command.key, now);
          return [{ text: `✅ Admin ${removed.name} (${removed.conversationKey}) dihapus.` }];
        }
        case 'tambah': {
          const added = await addAdmin(
            db,
            { role: command.role, opdCode: command.opdCode, name: command.adminName, conversationKey: command.key, createdBy: admin.id },
            { whatsappAccount: deps.whatsappAccount },
          );
          await enqueueNotification(db, {
            conversationKey: added.conversationKey,
            adminId: added.id,
            reply: { text: adminWelcomeText(added, deps.profile.name) },
          });
          return [{ text: `✅ ${added.name} ditambahkan sebagai admin ${added.role}${added.opdCode ? ` ${added.opdCode}` : ''} (${added.conversationKey}).` }];
        }
      }
    } catch (err) {
      if (err instanceof AdminError) return [{ text: ADMIN_ERROR_TEXT[err.code] ?? err.message }];
      throw err;
    }
  }
}

/** "/verifikasi <id> [kategori] [opd]": each code may be a category or an OPD, in any order. */
function splitCodes(codes: string[], profile: CityProfile): { categoryCode?: string; opdCode?: string; unknown?: string } {
  const out: { categoryCode?: string; opdCode?: string; unknown?: string } = {};
  for (const raw of codes) {
    const code = raw.toUpperCase();
    if (!out.categoryCode && profile.categories.some((c) => c.code === code)) out.categoryCode = code;
    else if (!out.opdCode && profile.opds.some((o) => o.code === code)) out.opdCode = code;
    else out.unknown ??= raw;
  }
  return out;
}
