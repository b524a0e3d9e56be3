import type { Message } from 'grammy/types';
import { describe, expect, it, vi } from 'vitest';
import { useTelegramHarness } from './helpers/telegram-harness.ts';
import { addTestAdmins, bringTo, fileFixtureCase } from './helpers/lifecycle.ts';
import type { BotMessage } from './helpers/fake-telegram.ts';
import { textContent, useFakeWhatsApp, waMessage } from './helpers/fake-whatsapp.ts';
import { decodeActionToken, type ButtonAction } from '../domain/admin-actions.ts';
import { REJECT_REASONS } from '../flows/admin/admin-buttons.ts';

const start = useTelegramHarness();
const setupWa = useFakeWhatsApp();
const WAIT = { timeout: 20_000, interval: 20 };
const INSTANSI = 9001;
const PU = 9003;
const CITIZEN = 7301;

function quoted(message: BotMessage): Message['reply_to_message'] {
  return {
    message_id: message.message_id,
    date: 0,
    chat: { id: message.chatId, type: 'private', first_name: 'Admin' },
    from: { id: 123456, is_bot: true, first_name: 'Lapor Malang' },
    text: message.text ?? '',
  } as Message['reply_to_message'];
}

/** The action buttons on a bot message, by action. */
function buttonsOf(message: BotMessage | undefined): Map<ButtonAction, string> {
  const out = new Map<ButtonAction, string>();
  for (const b of message?.reply_markup?.inline_keyboard?.flat() ?? []) {
    const data = 'callback_data' in b ? b.callback_data : undefined;
    const token = data ? decodeActionToken(data) : undefined;
    if (data && token && !token.arg) out.set(token.action, data);
  }
  return out;
}

describe('Telegram: admin actions as inline buttons (fake Bot API, callback_query)', () => {
  it('alerts carry exactly the allowed actions; a press runs the command; a stale press changes nothing', { timeout: 90_000 }, async () => {
    const h = await start();
    const admins = await addTestAdmins(h.app);
    const id = await fileFixtureCase(h.app, { key: `tg:${CITIZEN}` });
    await vi.waitFor(async () => {
      await h.app.outbox.drainOnce();
      expect(h.fake.textTo(INSTANSI)).toContain(id);
    }, WAIT);
    const alert = h.fake.messagesTo(INSTANSI).find((m) => m.text?.includes(`Laporan baru ${id}`));
    // A new case: the admin instansi may verify, forward, reject and note; nothing of the OPD's.
    expect([...buttonsOf(alert).keys()]).toEqual(['verify', 'forward', 'reject', 'note']);

    // Teruskan → a keyboard of OPDs with the suggested one first → the OPD's button forwards.
    await h.fake.exchange(INSTANSI, () => h.fake.press(INSTANSI, buttonsOf(alert).get('forward')!));
    const opdKeyboard = h.fake.messagesTo(INSTANSI).at(-1)!;
    expect(opdKeyboard.text).toContain(`Teruskan ${id} ke OPD mana?`);
    const opdButtons = opdKeyboard.reply_markup!.inline_keyboard.flat();
    expect(opdButtons[0].text).toBe('⭐ DPUPRPKP');
    const forwarded = await h.fake.exchange(INSTANSI, () => h.fake.press(INSTANSI, (opdButtons[0] as { callback_data: string }).callback_data));
    expect(forwarded).toContain(`✅ ${id} diteruskan ke`);
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');

    // The old alert's "Verifikasi" is stale now: it says who handled it and changes nothing.
    const events = await h.app.db.caseEvent.count();
    const stale = await h.fake.exchange(INSTANSI, () => h.fake.press(INSTANSI, buttonsOf(alert).get('verify')!));
    expect(stale).toContain(`Laporan ${id} sudah diproses oleh Budi Instansi`);
    expect(stale).toContain('tidak ada yang diubah');
    expect(await h.app.db.caseEvent.count()).toBe(events);
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');

    // The OPD's alert: Balas, Kembalikan, Catatan (never verify/forward/reject); Balas asks for the text by force reply.
    await vi.waitFor(async () => {
      await h.app.outbox.drainOnce();
      expect(h.fake.textTo(PU)).toContain(id);
    }, WAIT);
    const puAlert = h.fake.messagesTo(PU).find((m) => m.text?.includes(id) && m.reply_markup);
    expect([...buttonsOf(puAlert).keys()]).toEqual(['answer', 'return', 'note']);
    await h.fake.exchange(PU, () => h.fake.press(PU, buttonsOf(puAlert).get('note')!));
    const prompt = h.fake.messagesTo(PU).at(-1)!;
    expect(prompt.text).toContain(`catatan internal`);
    const sendCall = h.fake.callsTo('sendMessage').at(-1)!;
    expect(sendCall.params.reply_markup).toMatchObject({ force_reply: true });
    // The reply to the "catatan" prompt is a note, not an answer to the citizen.
    const noted = await h.fake.exchange(PU, () => h.fake.sendText(PU, 'Tim lapangan cek besok pagi', { reply_to_message: quoted(prompt) }));
    expect(noted).toContain(`Catatan internal disimpan di ${id}`);
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');

    await h.fake.exchange(PU, () => h.fake.press(PU, buttonsOf(puAlert).get('answer')!));
    const answerPrompt = h.fake.messagesTo(PU).at(-1)!;
    const answered = await h.fake.exchange(PU, () => h.fake.sendText(PU, 'Lubang sudah ditambal', { reply_to_message: quoted(answerPrompt) }));
    expect(answered).toContain(`Tanggapan untuk ${id} dikirim ke pelapor`);
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('answered');

    // Tolak → common reasons → the first reason rejects with that text.
    const other = await fileFixtureCase(h.app, { key: `tg:${CITIZEN + 1}` });
    await vi.waitFor(async () => {
      await h.app.outbox.drainOnce();
      expect(h.fake.textTo(INSTANSI)).toContain(`Laporan baru ${other}`);
    }, WAIT);
    const otherAlert = h.fake.messagesTo(INSTANSI).find((m) => m.text?.includes(`Laporan baru ${other}`));
    await h.fake.exchange(INSTANSI, () => h.fake.press(INSTANSI, buttonsOf(otherAlert).get('reject')!));
    const reasons = h.fake.messagesTo(INSTANSI).at(-1)!.reply_markup!.inline_keyboard.flat();
    expect(reasons.at(-1)!.text).toContain('Lainnya');
    await h.fake.exchange(INSTANSI, () => h.fake.press(INSTANSI, (reasons[0] as { callback_data: string }).callback_data));
    const rejected = await h.app.db.caseEvent.findFirstOrThrow({ where: { case: { trackingId: other }, action: 'rejected' } });
    expect(rejected.note).toBe(REJECT_REASONS[0]);
    void admins;
  });

  it('a button cannot do what the same admin\'s command could not (a forged token from an OPD admin)', { timeout: 60_000 }, async () => {
    const h = await start();
    const admins = await addTestAdmins(h.app);
    const id = await fileFixtureCase(h.app);
    await bringTo(h.app, id, 'forwarded', admins);
    const c = await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } });
    const { caseVersion, encodeActionToken } = await import('../domain/admin-actions.ts');
    const forged = encodeActionToken({ action: 'forward', code: id.slice(4), version: caseVersion(c), arg: 'DLH' });
    const reply = await h.app.sayText(`tg:${PU}`, { choice: forged });
    expect(reply).toContain('sudah diproses');
    expect((await h.app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).opdCode).toBe('DPUPRPKP');
    // Another OPD's admin pressing the case's button finds nothing at all.
    const answer = encodeActionToken({ action: 'answer', code: id.slice(4), version: caseVersion(c) });
    expect(await h.app.sayText('tg:9002', { choice: answer })).toContain('tidak ditemukan atau bukan wewenang Anda');
  });
});

describe('WhatsApp: admin actions as a numbered list', () => {
  it('the alert lists the numbers; a quoted "5" asks for the answer, a quoted "7" without a case id is refused politely', async () => {
    const { app, wa } = await setupWa();
    const PU_WA = '6281100000003@s.whatsapp.net';
    const { addAdmin } = await import('../cases/manage-admins.ts');
    const admins = await addTestAdmins(app);
    await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari PU (WA)', conversationKey: `wa:main:${PU_WA}` });
    const id = await fileFixtureCase(app, { key: 'wa:main:6281234567891@s.whatsapp.net' });
    await bringTo(app, id, 'forwarded', admins);
    await app.outbox.drainOnce();
    const index = wa.socket().sent.findIndex((m) => m.jid === PU_WA && m.text.includes(id));
    const alert = wa.socket().sent[index];
    expect(alert.text).toContain('5 balas · 6 kembalikan · 7 catatan');
    expect(alert.text).not.toMatch(/1 verifikasi/);
    const quoting = (text: string, stanzaId: string) => ({ extendedTextMessage: { text, contextInfo: { stanzaId, participant: '6281100000000@s.whatsapp.net' } } });

    const ask = await wa.send(waMessage(PU_WA, quoting('5', `BOT${index + 1}`)));
    expect(ask.join('\n')).toContain(`Tulis tanggapan untuk pelapor untuk ${id}`);
    // "2" (teruskan) is not this admin's: the case reads as handled, nothing changes.
    const refused = await wa.send(waMessage(PU_WA, textContent(`2 ${id}`)));
    expect(refused.join('\n')).toContain('tidak ada yang diubah');
    expect((await app.db.case.findUniqueOrThrow({ where: { trackingId: id } })).status).toBe('forwarded');
    // "7 <id>" without quoting: the prompt says how to type the note.
    const note = await wa.send(waMessage(PU_WA, textContent(`7 ${id.slice(4)}`)));
    expect(note.join('\n')).toContain(`/catatan ${id} <catatan>`);
  });
});
