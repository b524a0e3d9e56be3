import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { fileThroughChat, recordOutbox } from '../helpers/lifecycle.ts';
import { addAdmin } from '../../cases/manage-admins.ts';
import { KeywordClassifier } from '../../nlp/keyword-classifier.ts';
import { loadCityProfile } from '../../lib/city-profile.ts';
import type { Classifier, ClassifyInput } from '../../nlp/classifier.ts';

/**
 * The disagreements domain/case-access.ts settled, checked through the chat: the rule is written once, and
 * every path (alerts, /inbox, cek, the classifier) follows it.
 */
const CITIZEN = 'tg:5550199';
const INSTANSI = 'tg:9101';
const PU = 'tg:9103';
const SECRET = 'Pungutan liar oleh petugas loket kelurahan setiap mengurus surat pindah';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.cleanup();
  app = undefined;
});

/** Records what the classifier was given, and answers like the keyword classifier. */
function recordingClassifier(): Classifier & { inputs: ClassifyInput[] } {
  const keyword = new KeywordClassifier(loadCityProfile('malang'));
  const inputs: ClassifyInput[] = [];
  return { name: 'recording', inputs, classify: async (input) => (inputs.push(input), keyword.classify(input)) };
}

async function setup() {
  const classifier = recordingClassifier();
  app = await createTestApp({ classifier });
  await addAdmin(app.db, { role: 'instansi', name: 'Budi', conversationKey: INSTANSI });
  await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari', conversationKey: PU });
  return { outbox: recordOutbox(app), classifier };
}

describe('case access, settled', () => {
  it('a rahasia report is classified locally: its privacy reaches the classifier (which keeps it offline), and a biasa one is sent as biasa', async () => {
    const { classifier } = await setup();
    await fileThroughChat(app!, CITIZEN, { privacy: '3', description: SECRET });
    await fileThroughChat(app!, 'tg:5550200', { privacy: '1' });
    expect(classifier.inputs.map((i) => i.privacy)).toEqual(['rahasia', 'biasa']);
  });

  it('the admins who handle a rahasia case read its content: new-case alert, forwarded alert, /inbox', async () => {
    const { outbox } = await setup();
    const id = await fileThroughChat(app!, CITIZEN, { privacy: '3', description: SECRET });
    expect(await app!.sayText(INSTANSI, '/inbox')).toContain('Pungutan liar');
    await app!.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    expect(await app!.sayText(PU, '/inbox')).toContain('Pungutan liar');
    await outbox.drain();
    const alerts = outbox.all.filter((d) => d.key === INSTANSI || d.key === PU).map((d) => d.reply.text);
    expect(alerts.map((t) => [...t][0])).toEqual(['🆕', '📨']);
    for (const alert of alerts) expect(alert).toContain('RAHASIA');
    for (const alert of alerts) expect(alert).toContain('Pungutan liar');
  });

  it('cek shows the citizen that the case is moving between agencies, not the OPD\'s hand-back reason', async () => {
    await setup();
    const id = await fileThroughChat(app!, CITIZEN);
    await app!.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    const reason = 'Ini jalan provinsi, silakan ke Dinas PU Provinsi';
    await app!.say(PU, `/kembalikan ${id} ${reason}`);
    const cek = await app!.sayText(CITIZEN, `cek ${id}`);
    expect(cek).toContain('Sedang dialihkan ke instansi lain');
    expect(cek).not.toContain('jalan provinsi');
    // The admin instansi, who must forward it again, does read it.
    expect(await app!.sayText(INSTANSI, `/kasus ${id}`)).toContain(reason);
  });

  it('an OPD admin cannot act on a case once it handed it back', async () => {
    await setup();
    const id = await fileThroughChat(app!, CITIZEN);
    await app!.say(INSTANSI, `/teruskan ${id} DPUPRPKP`);
    await app!.say(PU, `/kembalikan ${id} bukan wewenang kami`);
    expect(await app!.sayText(PU, `/balas ${id} sudah kami tangani`)).toContain('tidak ditemukan atau bukan wewenang Anda');
    expect(await app!.sayText(PU, `/kasus ${id}`)).toContain('tidak ditemukan atau bukan wewenang Anda');
  });
});
