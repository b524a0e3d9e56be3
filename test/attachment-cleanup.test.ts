import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOrphanAttachments, ORPHAN_GRACE_MS } from '../db/orphan-attachments.ts';
import { storeAttachment } from '../bot/store-attachment.ts';
import { createTestApp, type TestApp } from './helpers/test-app.ts';
import { TINY_JPEG } from './helpers/images.ts';

// Issue 12 #6: "8 photos, batal, 4 photos, batal: 12 files, 0 rows". The files of cancelled drafts, photos past
// the five a report keeps, and other orphans are deleted; photos of cases and of open drafts are kept.
const COMPLAINT = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.cleanup();
});

/** Saves a photo as an adapter does and sends it into the conversation. */
async function sendPhoto(key: string): Promise<string> {
  const stored = await storeAttachment(app.dir, TINY_JPEG);
  await app.say(key, { attachments: [{ kind: 'photo', path: stored.path, mime: stored.mime, size: stored.size }] });
  return stored.path;
}

async function toPhotoStep(key: string) {
  await app.say(key, COMPLAINT);
  await app.say(key, 'Jl. Sumbersari 10');
}

/** batal, and yes to "cancel this report?" (a draft with content is cancelled only once confirmed). */
async function cancelDraft(key: string) {
  await app.say(key, 'batal');
  expect(await app.sayText(key, 'ya')).toMatch(/dibatalkan|batal/i);
}

const exists = (relative: string) => fs.existsSync(path.join(app.dir, relative));

describe('deleteOrphanAttachments', () => {
  it('deletes the files of cancelled drafts and extra photos, keeps those of cases and open drafts', async () => {
    // The probe: 8 photos, batal, 4 photos, batal.
    const cancelled: string[] = [];
    const prober = 'tg:8100001';
    await toPhotoStep(prober);
    for (let i = 0; i < 8; i++) cancelled.push(await sendPhoto(prober));
    await cancelDraft(prober);
    await toPhotoStep(prober);
    for (let i = 0; i < 4; i++) cancelled.push(await sendPhoto(prober));
    await cancelDraft(prober);

    // A filed case with two photos, and an open draft with one.
    const filer = 'tg:8100002';
    await toPhotoStep(filer);
    const filed = [await sendPhoto(filer), await sendPhoto(filer)];
    await app.say(filer, 'lewati');
    await app.say(filer, '1');
    expect((await app.sayText(filer, 'ya'))).toMatch(/LPR-/);
    expect(await app.db.attachment.count()).toBe(2);
    const drafter = 'tg:8100003';
    await toPhotoStep(drafter);
    const drafted = [await sendPhoto(drafter)];
    // Not a photo the bot wrote (the statistik charts and QR codes live elsewhere in DATA_DIR).
    fs.mkdirSync(path.join(app.dir, 'charts'), { recursive: true });
    fs.writeFileSync(path.join(app.dir, 'charts', 'chart.png'), 'x');

    // At batal the draft's photos (five kept of the first eight, then four) are deleted at once (flows/engine.ts);
    // the three past the cap never were in the draft and wait for the daily cleanup.
    const extras = cancelled.slice(5, 8);
    for (const p of [...cancelled.slice(0, 5), ...cancelled.slice(8)]) expect(exists(p), p).toBe(false);
    for (const p of [...extras, ...filed, ...drafted]) expect(exists(p), p).toBe(true);

    // Within the grace period nothing goes (a photo may be on its way into a draft).
    const early = await deleteOrphanAttachments(app.db, { dataDir: app.dir });
    expect(early.deleted).toBe(0);

    const later = new Date(Date.now() + ORPHAN_GRACE_MS + 60_000);
    const result = await deleteOrphanAttachments(app.db, { dataDir: app.dir, now: later });
    expect(result).toMatchObject({ scanned: 6, deleted: 3 });
    expect(result.freedBytes).toBeGreaterThan(0);
    for (const p of cancelled) expect(exists(p), p).toBe(false);
    for (const p of [...filed, ...drafted]) expect(exists(p), p).toBe(true);
    expect(fs.existsSync(path.join(app.dir, 'charts', 'chart.png'))).toBe(true);

    // The open draft still files with its photo.
    await app.say(drafter, 'lewati');
    await app.say(drafter, '1');
    expect(await app.sayText(drafter, 'ya')).toMatch(/LPR-/);
    expect(await app.db.attachment.count()).toBe(3);
  });

  it('photos past the five a report keeps are orphans too', async () => {
    const key = 'tg:8100004';
    await toPhotoStep(key);
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push(await sendPhoto(key));
    const result = await deleteOrphanAttachments(app.db, { dataDir: app.dir, now: new Date(Date.now() + ORPHAN_GRACE_MS + 60_000) });
    expect(result.deleted).toBe(2);
    expect(sent.filter(exists)).toHaveLength(5);
  });
});
