import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttachmentBudget, AttachmentBudgetError, UnsupportedImageError, detectImageType, storeAttachment } from '../bot/store-attachment.ts';
import { textContent, useFakeWhatsApp, waMessage } from './helpers/fake-whatsapp.ts';
import type { proto } from '@whiskeysockets/baileys';

// Issue 12 #5 (only JPEG, PNG and WebP by their bytes, re-encoded without metadata), #6 (a per-chat daily byte
// budget) and #10 (attachments 0600 in 0700 folders).

/** Where an anonim reporter stood: Alun-alun Malang, as a camera writes it into EXIF. */
const GPS = { GPSLatitudeRef: 'S', GPSLatitude: '7/1 58/1 52/1', GPSLongitudeRef: 'E', GPSLongitude: '112/1 37/1 51/1' };
const CAMERA = { Make: 'ProbeCam', Model: 'Lapor Test 1', Artist: 'Budi Santoso' };

async function photoWithExif(format: 'jpeg' | 'png' | 'webp', options: { width?: number; height?: number; orientation?: number } = {}): Promise<Buffer> {
  const image = sharp({ create: { width: options.width ?? 40, height: options.height ?? 20, channels: 3, background: '#3060a0' } })
    .withExif({ IFD0: CAMERA, IFD3: GPS }) // IFD3 is libvips' name for the GPS IFD
    .withMetadata(options.orientation ? { orientation: options.orientation } : {});
  return image.toFormat(format).toBuffer();
}

/** The EXIF GPS IFD pointer tag (0x8825), in either byte order. */
const hasGpsIfd = (exif: Buffer) => exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-img-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const storedFiles = () => (fs.existsSync(path.join(dir, 'attachments')) ? fs.readdirSync(path.join(dir, 'attachments'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : []);

describe('storeAttachment keeps JPEG, PNG and WebP only, re-encoded without metadata', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('%s with EXIF GPS: stored as %s, GPS and camera data gone', async (format) => {
    const original = await photoWithExif(format);
    // The generated photo really carries the GPS position (else the test would prove nothing).
    const before = await sharp(original).metadata();
    expect(before.exif?.toString('latin1')).toContain('ProbeCam');
    expect(hasGpsIfd(before.exif!)).toBe(true);

    const stored = await storeAttachment(dir, original, { key: 'tg:1' });
    const saved = fs.readFileSync(path.join(dir, stored.path));
    const after = await sharp(saved).metadata();
    expect(after.format).toBe(format);
    expect(stored.mime).toBe(`image/${format}`);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    for (const marker of ['ProbeCam', 'Budi Santoso', 'Exif']) expect(saved.toString('latin1')).not.toContain(marker);
    expect(stored.size).toBe(saved.length);
    expect(stored.path).toMatch(new RegExp(`^attachments/\\d{4}-\\d{2}/[0-9a-f-]{36}\\.(jpg|png|webp)$`));
  });

  it('applies the EXIF orientation before dropping it, so the photo still shows upright', async () => {
    const original = await photoWithExif('jpeg', { width: 40, height: 20, orientation: 6 });
    const stored = await storeAttachment(dir, original);
    const after = await sharp(path.join(dir, stored.path)).metadata();
    expect([after.width, after.height]).toEqual([20, 40]);
    expect(after.orientation).toBeUndefined();
  });

  it('scales a very large photo down (disk) and keeps a small one as it is', async () => {
    const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const stored = await storeAttachment(dir, big);
    const after = await sharp(path.join(dir, stored.path)).metadata();
    expect(Math.max(after.width!, after.height!)).toBeLessThanOrEqual(2560);
  });

  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>');
  const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(200, 1)]);
  it.each([
    ['an SVG with a script', async () => svg],
    ['an SVG behind an XML declaration', async () => Buffer.concat([Buffer.from('<?xml version="1.0"?>\n'), svg])],
    ['HEIC (iPhone photo format)', async () => heic],
    ['AVIF', async () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).avif().toBuffer()],
    ['TIFF', async () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).tiff().toBuffer()],
    ['GIF', async () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).gif().toBuffer()],
    ['a PDF', async () => Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n')],
    ['JPEG magic followed by garbage', async () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 7)])],
    ['a PNG signature in front of an SVG', async () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), svg])],
  ])('refuses %s and writes nothing', async (_name, make) => {
    const data = await make();
    await expect(storeAttachment(dir, data, { key: 'tg:1' })).rejects.toBeInstanceOf(UnsupportedImageError);
    expect(storedFiles()).toHaveLength(0);
  });

  it('recognises types by bytes, not by name', async () => {
    expect(detectImageType(await photoWithExif('png'))).toBe('png');
    expect(detectImageType(await photoWithExif('webp'))).toBe('webp');
    expect(detectImageType(svg)).toBeUndefined();
  });
});

describe('files are private to the service user (issue 12 #10)', () => {
  it('an attachment is 0600 in 0700 folders, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const stored = await storeAttachment(dir, await photoWithExif('jpeg'));
      expect(fs.statSync(path.join(dir, stored.path)).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, path.dirname(stored.path))).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dir, 'attachments')).mode & 0o777).toBe(0o700);
    } finally {
      process.umask(previous);
    }
  });
});

describe('per-chat daily attachment budget (issue 12 #6)', () => {
  it('refuses photos past the budget, without writing them; other chats and the next day are not affected', async () => {
    const photo = await photoWithExif('jpeg');
    const first = await storeAttachment(dir, photo, { key: 'tg:1', budget: new AttachmentBudget(1) }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(AttachmentBudgetError);
    expect(storedFiles()).toHaveLength(0);

    const size = (await storeAttachment(dir, photo)).size;
    const budget = new AttachmentBudget(size * 2);
    const day = new Date('2026-11-30T05:00:00Z');
    await storeAttachment(dir, photo, { key: 'tg:1', budget, now: day });
    await storeAttachment(dir, photo, { key: 'tg:1', budget, now: day });
    await expect(storeAttachment(dir, photo, { key: 'tg:1', budget, now: day })).rejects.toBeInstanceOf(AttachmentBudgetError);
    expect(storedFiles()).toHaveLength(3);
    await storeAttachment(dir, photo, { key: 'tg:2', budget, now: day });
    await storeAttachment(dir, photo, { key: 'tg:1', budget, now: new Date('2026-12-01T05:00:00Z') });
    expect(storedFiles()).toHaveLength(5);
  });
});

describe('a refused picture gets a polite reply through a real adapter (WhatsApp)', () => {
  const setup = useFakeWhatsApp();
  const CITIZEN = '6281234567890@s.whatsapp.net';
  const svgDocument = (): proto.IMessage => ({ documentMessage: { mimetype: 'image/jpeg', fileName: 'foto.jpg', fileLength: 200 } });

  it('an SVG declared as image/jpeg is answered politely, the report goes on, nothing is stored', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const { app, wa } = await setup({ media: svg });
    await wa.send(waMessage(CITIZEN, textContent('Lampu penerangan jalan mati total di Jl. Soekarno Hatta, gelap sekali')));
    await wa.send(waMessage(CITIZEN, textContent('Jl. Soekarno Hatta depan Politeknik')));
    const reply = (await wa.send(waMessage(CITIZEN, svgDocument()))).join('\n');
    expect(reply).toMatch(/Maaf, (Kak, )?foto dengan format ini .*JPG, PNG atau WebP/);
    expect(fs.existsSync(path.join(app.dir, 'attachments'))).toBe(false);
    const state = (await app.db.conversation.findUniqueOrThrow({ where: { key: `wa:main:${CITIZEN}` } })).state as { step: string; draft: { photos: unknown[] } };
    expect(state.draft.photos).toEqual([]);
    expect(state.step).toBe('photo');
  });
});
