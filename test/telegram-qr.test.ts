import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import jsQRImport from 'jsqr';
import { telegramPlaceLink, whatsappPlaceLink } from '../scripts/place-links.ts';

const run = promisify(execFile);
// jsqr is a CommonJS bundle typed as an ES default export; take whichever shape the loader gives.
type JsQR = typeof jsQRImport.default;
const jsQR: JsQR = (jsQRImport as unknown as { default?: JsQR }).default ?? (jsQRImport as unknown as JsQR);
const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-qr-'));
  dirs.push(dir);
  return dir;
}

/** Runs `npm run qr` the way a person would (tsx scripts/qr.ts), in an empty folder so no .env is read. */
async function qr(args: string[], env: Record<string, string>, cwd: string) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TELEGRAM_|WHATSAPP_|CITY_PROFILE)/.test(k)));
  try {
    const { stdout, stderr } = await run(TSX, [path.join(ROOT, 'scripts', 'qr.ts'), ...args], { cwd, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function decode(file: string): string | undefined {
  const png = PNG.sync.read(fs.readFileSync(file));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('place links', () => {
  it.each([
    ['lapor_malang_bot', 'PKM-ARJUNO', 'https://t.me/lapor_malang_bot?start=place-PKM-ARJUNO'],
    ['@lapor_malang_bot', 'pkm-dinoyo', 'https://t.me/lapor_malang_bot?start=place-PKM-DINOYO'],
  ])('Telegram link for %s / %s', (user, code, expected) => {
    expect(telegramPlaceLink(user, code)).toBe(expected);
  });

  it('WhatsApp link carries a plain sentence naming the place and its code as prefilled text', () => {
    const link = whatsappPlaceLink('+62 812-3456-7890', 'PKM-ARJUNO', 'Puskesmas Arjuno');
    expect(link.startsWith('https://wa.me/6281234567890?text=')).toBe(true);
    expect(new URL(link).searchParams.get('text')).toBe('Halo, saya mau melapor tentang Puskesmas Arjuno (kode tempat: PKM-ARJUNO)');
  });

  it('refuses a bad username or number', () => {
    expect(() => telegramPlaceLink('no spaces allowed', 'X')).toThrow(/username/);
    expect(() => whatsappPlaceLink('12', 'X', 'Y')).toThrow(/phone/);
  });
});

describe('npm run qr', () => {
  it('writes decodable PNG QR codes for Telegram and WhatsApp', async () => {
    const cwd = tempDir();
    const out = path.join(cwd, 'codes');
    const result = await qr(['--place', 'pkm-arjuno', '--out', out], { TELEGRAM_BOT_USERNAME: 'lapor_malang_bot', WHATSAPP_PHONE_NUMBER: '6281234567890' }, cwd);
    expect(result.code, result.stderr).toBe(0);
    const telegram = path.join(out, 'PKM-ARJUNO-telegram.png');
    const whatsapp = path.join(out, 'PKM-ARJUNO-whatsapp.png');
    for (const file of [telegram, whatsapp]) {
      const bytes = fs.readFileSync(file);
      expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      expect(bytes.length).toBeGreaterThan(1000);
    }
    expect(decode(telegram)).toBe('https://t.me/lapor_malang_bot?start=place-PKM-ARJUNO');
    expect(new URL(decode(whatsapp) ?? '').searchParams.get('text')).toBe('Halo, saya mau melapor tentang Puskesmas Arjuno (kode tempat: PKM-ARJUNO)');
  }, 60_000);

  it('says clearly what is missing', async () => {
    const cwd = tempDir();
    const none = await qr(['--place', 'PKM-ARJUNO'], {}, cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('TELEGRAM_BOT_USERNAME');
    expect(none.stderr).toContain('WHATSAPP_PHONE_NUMBER');

    const unknown = await qr(['--place', 'NOPE'], { TELEGRAM_BOT_USERNAME: 'lapor_malang_bot' }, cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown place "NOPE"');
    expect(unknown.stderr).toContain('PKM-ARJUNO');

    const onlyTelegram = await qr(['--place', 'PKM-ARJUNO', '--out', cwd], { TELEGRAM_BOT_USERNAME: 'lapor_malang_bot' }, cwd);
    expect(onlyTelegram.code).toBe(0);
    expect(onlyTelegram.stderr).toContain('WHATSAPP_PHONE_NUMBER is not set');
    expect(fs.readdirSync(cwd).filter((f) => f.endsWith('.png'))).toEqual(['PKM-ARJUNO-telegram.png']);
  }, 60_000);
});
