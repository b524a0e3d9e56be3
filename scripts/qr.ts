import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import QRCode from 'qrcode';
import { loadConfig, ConfigError } from '../lib/config.ts';
import { loadCityProfile, findPlace } from '../lib/city-profile.ts';
import { telegramPlaceLink, whatsappPlaceLink } from './place-links.ts';

/** Big enough to scan from a poster at arm's length, small enough to print on A6. */
const QR_WIDTH_PX = 768;

const USAGE = `npm run qr -- --place <CODE> [--place <CODE>…] [--all] [--out <dir>]
  Writes PNG QR codes that open a report with the place already filled in:
    <dir>/<CODE>-telegram.png  https://t.me/<TELEGRAM_BOT_USERNAME>?start=place-<CODE>
    <dir>/<CODE>-whatsapp.png  https://wa.me/<WHATSAPP_PHONE_NUMBER>?text=Halo, saya mau melapor tentang <place> (kode tempat: <CODE>)
  Place codes come from the city profile (CITY_PROFILE). --out defaults to <DATA_DIR>/qr (./data/qr).
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      place: { type: 'string', short: 'p', multiple: true },
      all: { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const config = loadConfig();
  const profile = loadCityProfile(config.CITY_PROFILE);
  const codes = values.all ? profile.places.map((p) => p.code) : (values.place ?? []);
  if (codes.length === 0) fail(`No place given.\n\n${USAGE}`);
  const places = codes.map((code) => {
    const place = findPlace(profile, code);
    if (!place) fail(`Unknown place "${code}" in the ${profile.name} profile. Known codes: ${profile.places.map((p) => p.code).join(', ')}`);
    return place;
  });

  const username = config.TELEGRAM_BOT_USERNAME;
  const phone = config.WHATSAPP_PHONE_NUMBER;
  if (!username && !phone) {
    fail('Nothing to link to: set TELEGRAM_BOT_USERNAME (the bot\'s @username) and/or WHATSAPP_PHONE_NUMBER (digits with country code, e.g. 6281234567890).');
  }
  if (!username) process.stderr.write('TELEGRAM_BOT_USERNAME is not set: skipping the Telegram codes.\n');
  if (!phone) process.stderr.write('WHATSAPP_PHONE_NUMBER is not set: skipping the WhatsApp codes.\n');

  const outDir = path.resolve(values.out ?? path.join(config.DATA_DIR, 'qr'));
  fs.mkdirSync(outDir, { recursive: true });
  for (const place of places) {
    const links: Array<[string, string]> = [];
    if (username) links.push(['telegram', telegramPlaceLink(username, place.code)]);
    if (phone) links.push(['whatsapp', whatsappPlaceLink(phone, place.code, place.name)]);
    for (const [channel, link] of links) {
      const file = path.join(outDir, `${place.code}-${channel}.png`);
      await QRCode.toFile(file, link, { type: 'png', width: QR_WIDTH_PX, margin: 4, errorCorrectionLevel: 'M' });
      process.stdout.write(`${file}\t${link}\t${place.name}\n`);
    }
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) fail(err.message);
  process.stderr.write(`Fatal: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
