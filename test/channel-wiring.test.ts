import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startChannels } from '../bot/start-channels.ts';
import type { Channel, ChannelName } from '../bot/channel.ts';
import { separatePhoto } from '../bot/deliver-replies.ts';
import { SENT_CASE_REFS_CAP, SentCaseRefs } from '../bot/sent-case-refs.ts';
import type { NotificationSender } from '../cases/notify.ts';

function fakeChannel(name: ChannelName, log: string[]) {
  let end!: { resolve: () => void; reject: (err: unknown) => void };
  const ended = new Promise<void>((resolve, reject) => (end = { resolve, reject }));
  const channel: Channel = {
    name,
    sender: { channel: name, send: async () => undefined },
    ended,
    start: async () => void log.push(`start ${name}`),
    stop: async () => void log.push(`stop ${name}`),
  };
  return { channel, end };
}

describe('startChannels: the one place channels start and their senders are registered', () => {
  it('registers each sender before starting its channel, and stops them in reverse order', async () => {
    const log: string[] = [];
    const outbox = { register: (sender: NotificationSender) => void log.push(`register ${sender.channel}`) };
    const tg = fakeChannel('tg', log);
    const wa = fakeChannel('wa', log);
    const running = await startChannels({ outbox: outbox as never, log: pino({ level: 'silent' }) }, [tg.channel, wa.channel]);
    await running.stop();
    expect(log).toEqual(['register tg', 'start tg', 'register wa', 'start wa', 'stop wa', 'stop tg']);
  });

  it('a channel that gives up while another runs is logged; when the last one gives up, ended rejects', async () => {
    const outbox = { register: () => undefined };
    const tg = fakeChannel('tg', []);
    const wa = fakeChannel('wa', []);
    const running = await startChannels({ outbox: outbox as never, log: pino({ level: 'silent' }) }, [tg.channel, wa.channel]);
    wa.end.reject(new Error('gave up'));
    await wa.channel.ended.catch(() => undefined);
    tg.end.reject(new Error('409'));
    // A promise settles once: rejecting with Telegram's error proves WhatsApp's alone did not end the process.
    await expect(running.ended).rejects.toThrow('409');
  });
});

describe('delivery pieces and the sent-message case map', () => {
  it('a reply with a picture is two pieces, text first, both about the same case', () => {
    expect(separatePhoto({ text: 'Laporan baru LPR-ABC234', image: { path: 'p.jpg' }, caseRef: 'LPR-ABC234' })).toEqual([
      { text: 'Laporan baru LPR-ABC234', caseRef: 'LPR-ABC234' },
      { text: '', image: { path: 'p.jpg' }, caseRef: 'LPR-ABC234' },
    ]);
    expect(separatePhoto({ text: 'tanpa foto' })).toEqual([{ text: 'tanpa foto' }]);
  });

  it('remembers at most SENT_CASE_REFS_CAP messages, forgetting the oldest, per chat', () => {
    const refs = new SentCaseRefs();
    for (let i = 0; i <= SENT_CASE_REFS_CAP; i++) refs.remember('tg:1', String(i), `LPR-${i}`);
    expect(refs.size).toBe(SENT_CASE_REFS_CAP);
    expect(refs.caseRefFor('tg:1', '0')).toBeUndefined();
    expect(refs.caseRefFor('tg:1', String(SENT_CASE_REFS_CAP))).toBe(`LPR-${SENT_CASE_REFS_CAP}`);
    expect(refs.caseRefFor('tg:2', String(SENT_CASE_REFS_CAP))).toBeUndefined();
  });
});
