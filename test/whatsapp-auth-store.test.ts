import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { addTransactionCapability, proto, type SignalDataSet, type SignalDataTypeMap } from '@whiskeysockets/baileys';
import { LIDMappingStore } from '@whiskeysockets/baileys/lib/Signal/lid-mapping.js';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { useDatabaseAuthState } from '../bot/whatsapp/auth-store.ts';
import { resolveCitizenJid } from '../bot/whatsapp/normalize-jid.ts';
import { startFakeWhatsApp } from './helpers/fake-whatsapp.ts';

const silent = pino({ level: 'silent' });
const bytes = (seed: number, length = 32) => Buffer.from(Array.from({ length }, (_, i) => (seed * 31 + i) % 256));

/** One entry of every signal data type Baileys 7 stores, including its LID-era types. */
function everyKeyType(): SignalDataSet {
  return {
    'pre-key': { '1': { public: bytes(1), private: bytes(2) }, '2': { public: bytes(3), private: bytes(4) } },
    session: { '6281234567890.0': bytes(5, 120) },
    'sender-key': { '120363025246125486@g.us::6281234567890::0': bytes(6, 80) },
    'sender-key-memory': { '120363025246125486@g.us': { '6281234567890:0@s.whatsapp.net': true } },
    'app-state-sync-key': { AAAAAQ: proto.Message.AppStateSyncKeyData.fromObject({ keyData: bytes(7), timestamp: 1700000000 }) },
    'app-state-sync-version': { regular: { version: 3, hash: bytes(8, 128), indexValueMap: { abc: { valueMac: bytes(9) } } } },
    'lid-mapping': { '6281234567890': '123456789012345', '123456789012345_reverse': '6281234567890' },
    'device-list': { '6281234567890': ['0', '12', '25'] },
    tctoken: { '6281234567890@s.whatsapp.net': { token: bytes(10, 48), timestamp: '1700000000', senderTimestamp: 1700000001 } },
    'identity-key': { '6281234567890.0': bytes(11, 33) },
  };
}

let apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps) await app.cleanup().catch(() => undefined);
  apps = [];
});

/** Compares after normalising Buffer/Uint8Array and protobuf objects to plain data. */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? { bytes: Buffer.from(v).toString('base64') } : v)));

describe('whatsapp auth state in the database', () => {
  it('writes creds and every key type, and a restarted process reads them back equal', async () => {
    const first = await createTestApp();
    const auth = await useDatabaseAuthState(first.db, 'main');
    auth.state.creds.registered = true;
    auth.state.creds.me = { id: '6281200000000:5@s.whatsapp.net', lid: '99887766554433:5@lid', name: 'Lapor Malang' };
    await auth.saveCreds();
    const written = everyKeyType();
    await auth.state.keys.set(written);
    const savedCreds = plain(auth.state.creds);

    const second = await first.restart();
    apps.push(second);
    const reread = await useDatabaseAuthState(second.db, 'main');
    expect(plain(reread.state.creds)).toEqual(savedCreds);
    expect(reread.state.creds.noiseKey.private).toBeInstanceOf(Buffer);
    for (const type of Object.keys(written) as Array<keyof SignalDataTypeMap>) {
      const ids = Object.keys(written[type]!);
      const got = await reread.state.keys.get(type, ids);
      expect(plain(got), type).toEqual(plain(written[type]));
    }
    const syncKey = (await reread.state.keys.get('app-state-sync-key', ['AAAAAQ'])).AAAAAQ;
    expect(syncKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    const token = (await reread.state.keys.get('tctoken', ['6281234567890@s.whatsapp.net']))['6281234567890@s.whatsapp.net'];
    expect(Buffer.isBuffer(token.token)).toBe(true);
  });

  it('deletes a key set to null and leaves unknown ids out', async () => {
    const app = await createTestApp();
    apps.push(app);
    const auth = await useDatabaseAuthState(app.db, 'main');
    await auth.state.keys.set({ session: { a: bytes(1), b: bytes(2) } });
    await auth.state.keys.set({ session: { a: null } });
    const reread = await useDatabaseAuthState(app.db, 'main');
    expect(Object.keys(await reread.state.keys.get('session', ['a', 'b', 'c']))).toEqual(['b']);
  });

  it('clear() removes one account\'s session (creds and keys) and no other account\'s', async () => {
    const app = await createTestApp();
    apps.push(app);
    const main = await useDatabaseAuthState(app.db, 'main');
    const other = await useDatabaseAuthState(app.db, 'other');
    for (const auth of [main, other]) {
      await auth.saveCreds();
      await auth.state.keys.set(everyKeyType());
    }
    await main.clear();
    expect(await app.db.whatsAppAuth.count({ where: { account: 'main' } })).toBe(0);
    expect(await app.db.whatsAppAuth.count({ where: { account: 'other' } })).toBeGreaterThan(10);
    // The cache in front of the store is cleared too: nothing comes back from memory.
    expect(await main.state.keys.get('lid-mapping', ['6281234567890'])).toEqual({});
    const fresh = await useDatabaseAuthState(app.db, 'main');
    expect(fresh.state.creds.registered).toBe(false);
  });

  it("keeps Baileys' own LID mapping store working across a restart", async () => {
    const first = await createTestApp();
    const auth = await useDatabaseAuthState(first.db, 'main');
    const store = new LIDMappingStore(addTransactionCapability(auth.state.keys, silent, { maxCommitRetries: 1, delayBetweenTriesMs: 1 }), silent);
    await store.storeLIDPNMappings([{ lid: '123456789012345@lid', pn: '6281234567890@s.whatsapp.net' }]);
    store.close();

    const second = await first.restart();
    apps.push(second);
    const reread = await useDatabaseAuthState(second.db, 'main');
    const lidMapping = new LIDMappingStore(addTransactionCapability(reread.state.keys, silent, { maxCommitRetries: 1, delayBetweenTriesMs: 1 }), silent);
    const resolved = await resolveCitizenJid({ remoteJid: '123456789012345@lid' }, lidMapping);
    lidMapping.close();
    expect(resolved).toEqual({ jid: '6281234567890@s.whatsapp.net', phone: '6281234567890' });
  });

  it('saves creds on creds.update from the socket', async () => {
    const app = await createTestApp();
    apps.push(app);
    const wa = await startFakeWhatsApp(app, { open: false });
    wa.socket().emit('creds.update', { registered: true, me: { id: '6281200000000:7@s.whatsapp.net' } });
    await wa.channel.idle();
    await wa.channel.stop();
    const reread = await useDatabaseAuthState(app.db, 'main');
    expect(reread.state.creds.registered).toBe(true);
    expect(reread.state.creds.me?.id).toBe('6281200000000:7@s.whatsapp.net');
  });
});
