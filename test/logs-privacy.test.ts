import { afterEach, describe, expect, it } from 'vitest';
import { memoryLog } from './helpers/memory-log.ts';
import { createLogger } from '../lib/logger.ts';
import { DeliveryError } from '../lib/errors.ts';
import { enqueueNotification } from '../cases/notify.ts';
import type { Classifier } from '../nlp/classifier.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { breakWrites } from './helpers/database-faults.ts';


const PHONE = '6281234567890';
const LOCAL_PHONE = '081234567890';
const NIK = '3573012345670001';
const NAME = 'Siti Rahmawati';
const TG_CHAT = '987654321';
const WA_JID = `${PHONE}@s.whatsapp.net`;
const DESCRIPTION = `Saya ${NAME} NIK ${NIK} hp ${LOCAL_PHONE}, jalan depan rumah berlubang besar sekali`;
const LOCATION = 'Jl. Kenanga Indah 17, Dinoyo';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

describe('logs at info level carry no personal data', () => {
  it('a full intake on Telegram and WhatsApp, with failures on the way, logs none of it', async () => {
    const log = memoryLog();
    let failClassifier = true;
    app = await createTestApp({
      log: createLogger('info', log.stream),
      floodControl: { limits: { windowMs: 2_000, maxMessages: 2, quietMs: 30, maxHoldMs: 200 } },
    });
    // A classifier that fails once, so the fallback path (and its warning) is logged too.
    const keyword = app.classifier;
    const flaky: Classifier = {
      name: 'flaky-llm',
      async classify(input) {
        if (failClassifier) {
          failClassifier = false;
          throw Object.assign(new Error(`LLM timeout for "${input.text}"`), { code: 'LLM_TIMEOUT' });
        }
        return keyword.classify(input);
      },
    };
    (app.engine as unknown as { options: { classifier: Classifier } }).options.classifier = flaky;

    const sender = (id: string) => ({ id, name: NAME, phone: PHONE });
    const tg = `tg:${TG_CHAT}`;
    const wa = `wa:main:${WA_JID}`;
    for (const key of [tg, wa]) {
      const say = (text: string) => app!.say(key, { text, sender: sender(key.split(':').at(-1)!) });
      await say(DESCRIPTION);
      await say(LOCATION);
      await say('lewati');
      await say('1');
      expect((await say('ya')).map((r) => r.text).join()).toMatch(/LPR-/);
      await say(`cek LPR-ZZZZZZ`);
    }
    // A flood (logged by flood control), a database failure (logged as an error) and a failed delivery.
    await Promise.all([1, 2, 3, 4].map((i) => app!.say(tg, { text: `${DESCRIPTION} ${i}`, sender: sender(TG_CHAT) })));
    const restoreWrites = await breakWrites(app.db);
    await app.say(tg, { text: `${LOCATION} lagi`, sender: sender(TG_CHAT) });
    await restoreWrites();
    await enqueueNotification(app.db, { conversationKey: wa, reply: { text: `Halo ${NAME}, laporan Anda diterima` } });
    app.outbox.register({
      channel: 'wa',
      async send(key) {
        throw new DeliveryError('NETWORK', `could not reach ${key}`, false);
      },
    });
    await app.outbox.drainOnce();

    const output = log.text();
    if (process.env.SHOW_LOG) console.log(output);
    // The log is not empty: the test would pass trivially otherwise.
    expect(output).toMatch(/case filed/);
    expect(output).toMatch(/classifier failed/);
    expect(output).toMatch(/message processing failed/);
    expect(output).toMatch(/flood control/);
    expect(output).toMatch(/notification delivery failed/);
    for (const secret of [PHONE, LOCAL_PHONE, NIK, NAME, 'Rahmawati', TG_CHAT, WA_JID, tg, wa, 'berlubang', 'Kenanga', 'Halo Siti']) {
      expect(output, `log contains ${secret}`).not.toContain(secret);
    }
  });
});
