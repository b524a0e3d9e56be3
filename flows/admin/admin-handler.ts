import type { CityProfile } from '../../lib/city-profile.ts';
import type { Logger } from '../../lib/logger.ts';
import type { WorkingCalendar } from '../../lib/working-days.ts';
import type { Db } from '../../db/client.ts';
import type { MessageHandler } from '../engine.ts';
import type { Reply } from '../types.ts';
import { AdminError, findActiveAdmin, listActiveAdmins, removeAdmin, type AdminRecord } from '../../db/admins.ts';
import { addAdmin } from '../../cases/manage-admins.ts';
import { adminWelcomeText } from '../../domain/case-notices.ts';
import { loadCaseForAdmin, loadInbox, opdHasUnits, searchCases } from '../../cases/admin-inbox.ts';
import { disposeCase } from '../../cases/dispose-case.ts';
import { parseInboxQuery, type InboxQueryErrorCode } from '../../domain/inbox-query.ts';
import { parseSearchQuery } from '../../domain/search-query.ts';
import { parseTrackingId } from '../../domain/tracking-id.ts';
import { findUnit } from '../../lib/city-units.ts';
import { availableActions, caseVersion, actionMenu, decodeActionToken, parseNumberedAction, type ButtonAction } from '../../domain/admin-actions.ts';
import { actionFollowUp, staleText, type PressOutcome } from './admin-buttons.ts';
import type { ActionDeps, ActionRefusal, ActionResult, Actor } from '../../cases/change-case.ts';
import { verifyCase } from '../../cases/verify-case.ts';
import { forwardCase } from '../../cases/forward-case.ts';
import { rejectCase } from '../../cases/reject-case.ts';
import { answerCase } from '../../cases/answer-case.ts';
import { returnCase } from '../../cases/return-case.ts';
import { addNote } from '../../cases/note-case.ts';
import { closeCase } from '../../cases/close-case.ts';
import { mergeCase } from '../../cases/merge-case.ts';
import { clearEmergency } from '../../cases/clear-emergency.ts';
import { enqueueNotification } from '../../cases/notify.ts';
import { adminHelp, commandAllowed, parseAdminCommand, usageText, type AdminCommand, type AdminCommandName } from './admin-commands.ts';
import { ADMIN_STATUS_LABELS, redactForViewer, renderCase, renderInbox, renderSearch } from './admin-views.ts';

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
  disposisi: 'didisposisikan',
  gabung: 'digabung',
  bukandarurat: 'diubah',
};

const INBOX_ERROR_TEXT: Record<InboxQueryErrorCode, (word: string) => string> = {
  INBOX_UNKNOWN_WORD: (w) => `Maaf, "${w}" tidak saya kenali di /inbox. Contoh: /inbox 2, /inbox terlambat, /inbox DLH, /inbox PKM-ARJUNO, /inbox semua.`,
  INBOX_PAGE_INVALID: (w) => `Halaman "${w}" tidak ada. Tulis nomor halaman mulai dari 1, mis. /inbox 2.`,
  INBOX_TWO_PAGES: () => 'Tulis satu nomor halaman saja, mis. /inbox 2.',
  INBOX_TWO_OPDS: () => 'Saring satu OPD atau satu unit saja, mis. /inbox DLH.',
  INBOX_TWO_STATUSES: () => 'Saring satu status saja, mis. /inbox baru.',
  INBOX_UNIT_NOT_UNDER_OPD: (w) => `Unit ${w} bukan bagian dari OPD yang disebut.`,
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
    case 'NOT_URGENT':
      return `Laporan ${trackingId} tidak sedang ditandai darurat; tidak ada yang perlu diubah.`;
    case 'MAIN_NOT_OPEN':
      return `Laporan utama ${refusal.value} tidak ditemukan, sudah selesai, atau sudah digabung ke laporan lain. Pilih laporan utama yang masih berjalan.`;
    case 'SAME_CASE':
      return `Laporan tidak bisa digabung ke dirinya sendiri. Contoh: /gabung ${trackingId} <nomor laporan utama>`;
    case 'OWN_CASE':
      return `Laporan ${trackingId} tidak bisa ${verb}.`;
    case 'ACCUSED':
      return `Laporan ${trackingId} adalah pengaduan tentang ${refusal.value} sendiri, jadi tidak bisa ${verb} ke sana. Pilih instansi lain (mis. Inspektorat).`;
    case 'UNKNOWN_UNIT':
      return `Unit "${refusal.value}" tidak dikenal. Lihat daftar unitnya: /disposisi ${trackingId}`;
    case 'UNIT_NOT_UNDER_OPD':
      return `Unit "${refusal.value}" bukan unit ${refusal.opdCode}. Lihat daftar unitnya: /disposisi ${trackingId}`;
    case 'NO_UNIT':
      return `Sebutkan unitnya: /disposisi ${trackingId} <kode unit>`;
  }
}

const ADMIN_ERROR_TEXT: Record<string, string> = {
  ADMIN_ROLE_INVALID: 'Peran admin harus instansi atau penghubung.',
  ADMIN_OPD_REQUIRED: 'Admin penghubung perlu kode OPD.',
  ADMIN_OPD_UNKNOWN: 'Kode OPD atau unit itu tidak dikenal.',
  ADMIN_UNIT_UNKNOWN: 'Kode unit itu tidak dikenal (contoh: KEL-SUMBERSARI, PKM-ARJUNO).',
  ADMIN_UNIT_NOT_UNDER_OPD: 'Unit itu bukan bagian dari OPD yang disebut.',
  ADMIN_UNIT_NOT_FOR_INSTANSI: 'Admin instansi bekerja untuk seluruh kota dan tidak punya unit.',
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
    const token = message.choice ? decodeActionToken(message.choice) : undefined;
    const numbered = !parsed && !token ? parseNumberedAction(text) : undefined;
    // Most messages are citizens' words: look the sender up only when this could be an admin's command, button or reply.
    if (!parsed && !token && !numbered && !(message.replyToCase && !text.startsWith('/'))) return undefined;
    const admin = await findActiveAdmin(ctx.db, message.key);
    if (!admin) return undefined;
    const actionDeps: ActionDeps = { db: ctx.db, calendar: deps.calendar, now: ctx.now, viewer: admin, urgentDeadlines: deps.profile.emergency.urgentDeadlines };
    // A button (Telegram) or a number answering a case's list (WhatsApp, terminal) is a shortcut for a command.
    if (token) return press(admin, message.channel, 'LPR-' + token.code, token.action, actionDeps, { version: token.version, arg: token.arg });
    if (numbered) {
      const trackingId = numbered.idText ? parseTrackingId(numbered.idText) : message.replyToCase;
      if (trackingId) return press(admin, message.channel, trackingId, numbered.action, actionDeps, {});
      if (!message.replyToCase && !numbered.idText) return undefined;
      return [{ text: 'Angka itu untuk tindakan pada laporan: balas (reply) pesan laporannya dengan angka, atau tulis angka + nomor, mis. "1 ABC234".' }];
    }
    // A reply to the bot's message about a case: the text the message asked for (a force-reply prompt), else the answer.
    if (!parsed && message.replyToCase && !text.startsWith('/')) {
      const command = message.replyToCommand ?? 'balas';
      parsed = parseAdminCommand(`/${command} ${message.replyToCase} ${text}`) ?? { ok: true, command: { name: 'balas', trackingId: message.replyToCase, text } };
    }
    if (!parsed) return undefined;
    if (!parsed.ok) {
      if (parsed.problem === 'badId') return [{ text: `Nomor laporan "${parsed.value}" tidak valid. Contoh yang benar: LPR-ABC234 (boleh #LPR-ABC234 atau abc234).` }];
      return [{ text: usageText(parsed.name) }];
    }
    const command = parsed.command;
    // /statistik has its own handler (before this one in flows/pipeline.ts); never answer it here.
    if (command.name === 'statistik') return undefined;
    const replies = await execute(command, admin, message.channel, actionDeps);
    deps.log.info({ command: command.name, adminId: admin.id }, 'admin command');
    return replies;
  };

  /** Runs a command after the role check; buttons come through here too, so they can do no more than commands. */
  async function execute(command: Exclude<AdminCommand, { name: 'statistik' }>, admin: AdminRecord, channel: string, actionDeps: ActionDeps): Promise<Reply[]> {
    if (!commandAllowed(admin.role, command.name, admin.unitCode)) {
      return [
        {
          text: admin.unitCode && command.name === 'disposisi'
            ? 'Disposisi ke unit dilakukan oleh admin OPD. Kalau laporan ini bukan wewenang unit Anda, gunakan /kembalikan <nomor> <alasan>.'
            : `Perintah /${command.name} hanya untuk admin instansi. Ketik /bantuan untuk perintah Anda.`,
        },
      ];
    }
    return run(command, admin, channel, actionDeps);
  }

  /** The action list of a case for this admin, fit for the channel. */
  async function menuFor(admin: AdminRecord, channel: string, view: { trackingId: string; status: string; opdCode: string | null; unitCode: string | null; reopenCount: number; forwardedAt: Date | null; accusedOpdCode: string | null; accusedUnitCode: string | null }, db: Db) {
    const actions = availableActions(admin, view, { opdHasUnits: await opdHasUnits(db, view.opdCode) });
    return actionMenu(channel, view.trackingId, caseVersion(view), actions);
  }

  /**
   * A press of an action button (or its number). A press drawn for an earlier state of the case, or for an action
   * no longer open to this admin, changes nothing and says who handled it; otherwise it asks for what the action
   * still needs (an OPD, a unit, a reason, a text) or runs the command.
   */
  async function press(admin: AdminRecord, channel: string, trackingId: string, action: ButtonAction, actionDeps: ActionDeps, pressed: { version?: string; arg?: string }): Promise<Reply[]> {
    const { db } = actionDeps;
    const view = await loadCaseForAdmin(db, admin, trackingId);
    if (!view) return [{ text: notFound(trackingId) }];
    const actions = availableActions(admin, view, { opdHasUnits: await opdHasUnits(db, view.opdCode) });
    const moved = (pressed.version !== undefined && pressed.version !== caseVersion(view)) || !actions.includes(action);
    if (moved) {
      const menu = actionMenu(channel, view.trackingId, caseVersion(view), actions);
      return [{ text: [staleText(view, ADMIN_STATUS_LABELS), menu.text].filter(Boolean).join('\n\n'), caseRef: view.trackingId, ...(menu.choices ? { choices: menu.choices, keepChoices: true } : {}) }];
    }
    const outcome: PressOutcome = actionFollowUp(action, view, { channel, profile: deps.profile, viewer: admin, version: caseVersion(view), arg: pressed.arg });
    if (outcome.kind === 'replies') return outcome.replies;
    deps.log.info({ command: outcome.command.name, adminId: admin.id, via: 'button' }, 'admin command');
    return execute(outcome.command, admin, channel, actionDeps);
  }

  async function run(command: Exclude<AdminCommand, { name: 'statistik' }>, admin: AdminRecord, channel: string, actionDeps: ActionDeps): Promise<Reply[]> {
    const { db, now } = actionDeps;
    switch (command.name) {
      case 'bantuan':
        return [{ text: adminHelp(admin.role, command.topic, admin.unitCode) }];
      case 'inbox': {
        const query = parseInboxQuery(deps.profile, command.args);
        if (!query.ok) return [{ text: INBOX_ERROR_TEXT[query.code](query.word) }];
        const page = await loadInbox(db, admin, now, query.filter);
        return renderInbox(page, withoutPage(command.args), channel, formatDate);
      }
      case 'cari': {
        const query = parseSearchQuery(command.args, parseTrackingId);
        if (!query.ok) {
          return [{ text: query.code === 'SEARCH_PAGE_INVALID' ? `Halaman "${query.word}" tidak ada.` : 'Tulis kata yang dicari (minimal satu kata yang bermakna) atau nomor laporan, mis. /cari jalan sumbersari.' }];
        }
        const page = await searchCases(db, admin, now, query.query);
        const words = query.query.kind === 'tracking' ? query.query.trackingId : query.query.words.join(' ');
        return renderSearch(page, words, channel, formatDate);
      }
      case 'admin':
        return runAdminCommand(db, command, admin, now);
      default:
        break;
    }
    // Every other command is about one case the admin must be allowed to see.
    const view = await loadCaseForAdmin(db, admin, command.trackingId);
    if (!view) return [{ text: notFound(command.trackingId) }];
    if (command.name === 'kasus') return renderCase(redactForViewer(view, admin), formatDateTime, await menuFor(admin, channel, view, db));
    const actor: Actor = { type: 'admin', id: admin.id };
    const id = command.trackingId;
    let result: ActionResult;
    switch (command.name) {
      case 'disposisi': {
        if (!command.unit) {
          const outcome = actionFollowUp('dispose', view, { channel, profile: deps.profile, viewer: admin, version: caseVersion(view) });
          if (outcome.kind === 'replies') return outcome.replies;
          return [{ text: usageText('disposisi') }];
        }
        result = await disposeCase(actionDeps, actor, id, command.unit, deps.profile);
        if (result.ok) {
          const unitAdmins = result.unitCode ? await listActiveAdmins(db, { role: 'penghubung', opdCode: result.opdCode ?? '', unitCode: result.unitCode }) : [];
          const unitName = result.unitCode ? (findUnit(deps.profile, result.unitCode)?.name ?? result.unitCode) : '-';
          const warning = unitAdmins.length
            ? `Admin unit (${unitAdmins.length}) dan pelapor sudah dikabari.`
            : `Pelapor sudah dikabari. ⚠️ ${unitName} belum punya admin penghubung, jadi admin OPD yang menindaklanjuti; tambahkan dengan /admin tambah penghubung ${result.unitCode} <kunci> <nama>.`;
          return [{ text: `✅ ${id} didisposisikan ke ${unitName} (${result.unitCode}). ${warning}`, caseRef: id }];
        }
        break;
      }
      case 'verifikasi': {
        const { categoryCode, opdCode, unknown } = splitCodes(command.codes, deps.profile);
        if (unknown) return [{ text: refusalText({ code: 'UNKNOWN_CATEGORY', value: unknown }, id, command.name, deps.profile) }];
        result = await verifyCase(actionDeps, actor, id, { categoryCode, opdCode });
        if (result.ok) return [{ text: `✅ ${id} terverifikasi (OPD tujuan: ${result.opdCode ?? '-'}). Pelapor sudah dikabari.\nTeruskan: /teruskan ${id} ${result.opdCode ?? '<OPD>'}`, caseRef: id }];
        break;
      }
      case 'teruskan': {
        const { categoryCode, opdCode, unknown } = splitCodes(command.codes, deps.profile);
        if (unknown) return [{ text: refusalText({ code: 'UNKNOWN_OPD', value: unknown }, id, command.name, deps.profile) }];
        result = await forwardCase(actionDeps, actor, id, opdCode, categoryCode);
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
        if (result.ok && admin.unitCode) return [{ text: `✅ ${id} dikembalikan ke admin ${result.opdCode} (bukan wewenang unit). Terima kasih.`, caseRef: id }];
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
      case 'gabung':
        result = await mergeCase(actionDeps, actor, id, command.mainTrackingId);
        if (result.ok) {
          return [{ text: `✅ ${id} digabung ke ${command.mainTrackingId}. Pelapornya kini pendukung ${command.mainTrackingId}, sudah dikabari, dan ikut menerima perkembangannya.`, caseRef: command.mainTrackingId }];
        }
        break;
      case 'bukandarurat':
        result = await clearEmergency(actionDeps, actor, id, command.text);
        if (result.ok) return [{ text: `✅ Tanda darurat ${id} dicabut; tenggatnya kembali ke hari kerja biasa.`, caseRef: id }];
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
              text: ['Admin aktif:', ...admins.map((a) => `• ${a.name} · ${a.role}${a.opdCode ? ` ${a.opdCode}` : ''}${a.unitCode ? `/${a.unitCode}` : ''} · ${a.conversationKey}`)].join('\n'),
            },
          ];
        }
        case 'hapus': {
          const removed = await removeAdmin(db, command.key, now);
          return [{ text: `✅ Admin ${removed.name} (${removed.conversationKey}) dihapus.` }];
        }
        case 'tambah': {
          // "/admin tambah penghubung PKM-ARJUNO …": a unit code makes a unit admin (its OPD is the unit's).
          const unit = command.opdCode ? findUnit(deps.profile, command.opdCode) : undefined;
          const added = await addAdmin(db, {
            role: command.role,
            ...(unit ? { unitCode: unit.code } : { opdCode: command.opdCode }),
            name: command.adminName,
            conversationKey: command.key,
            createdBy: admin.id,
          }, { whatsappAccount: deps.whatsappAccount });
          await enqueueNotification(db, {
            conversationKey: added.conversationKey,
            adminId: added.id,
            reply: { text: adminWelcomeText(added, deps.profile.name) },
          });
          return [{ text: `✅ ${added.name} ditambahkan sebagai admin ${added.role}${added.opdCode ? ` ${added.opdCode}` : ''}${added.unitCode ? ` unit ${added.unitCode}` : ''} (${added.conversationKey}).` }];
        }
      }
    } catch (err) {
      if (err instanceof AdminError) return [{ text: ADMIN_ERROR_TEXT[err.code] ?? err.message }];
      throw err;
    }
  }
}

/** The /inbox words without the page number, to write the next page's command. */
function withoutPage(args: string): string {
  return args
    .trim()
    .replace(/\b(?:hal|halaman|page|p)\s+\d+\b/gi, '')
    .replace(/(^|\s)\d+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
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
