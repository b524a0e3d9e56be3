import fs from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { createTestApp, type TestApp } from './test-app.ts';
import { addTestAdmins, bringTo, deps, fileFixtureCase, type Admins } from './lifecycle.ts';
import { closeCase } from '../../cases/close-case.ts';
import { rejectCase } from '../../cases/reject-case.ts';
import { verifyCase } from '../../cases/verify-case.ts';
import { addApiKey } from '../../db/api-keys.ts';
import { loadCityProfile } from '../../lib/city-profile.ts';

/** A marker hidden in the photo's metadata: it must never come out of the public media route. */
export const METADATA_MARKER = 'GPS-LAPOR-METADATA-MARKER';
export const REPORTER_NAME = 'Siti Pelapor Anonim';
export const REPORTER_PHONE = '6281234567890';
/** A phone number inside a complaint's text: masked in every public field. */
export const PHONE_IN_TEXT = '0812-9876-5432';
export const ANSWER = 'Sudah ditambal oleh tim UPT Jalan pada hari Senin.';
/** The exact street of the anonim case: never public. */
export const ANONIM_STREET = 'Gang Mawar 3, depan rumah saya';
/** The puskesmas the unit case went to (a unit of DINKES in the Malang profile). */
export const UNIT = loadCityProfile('malang').units.find((u) => u.opdCode === 'DINKES' && u.kind === 'puskesmas')!;

/** A small JPEG with an XMP block and a comment carrying METADATA_MARKER, as a phone camera leaves GPS data. */
export function jpegWithMetadata(): Buffer {
  const canvas = createCanvas(64, 48);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#884422';
  ctx.fillRect(0, 0, 64, 48);
  const plain = canvas.toBuffer('image/jpeg');
  const segment = (marker: number, payload: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(0xff00 | marker, 0);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  const xmp = segment(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>${METADATA_MARKER}</exif:GPSLatitude></x:xmpmeta>`));
  const comment = segment(0xfe, Buffer.from(METADATA_MARKER));
  return Buffer.concat([plain.subarray(0, 2), xmp, comment, plain.subarray(2)]);
}

export interface PublicFixture {
  app: TestApp;
  admins: Admins;
  /** Verified, forwarded to DPUPRPKP and answered. */
  answered: string;
  /** Rahasia, forwarded: never public. */
  rahasia: string;
  /** Rahasia with a photo. */
  rahasiaWithPhoto: string;
  /** Filed, not verified yet. */
  submitted: string;
  /** Anonim, verified, with a phone number in its text and a photo carrying metadata. */
  anonim: string;
  /** Forwarded to DINKES and passed on to one of its puskesmas (UNIT). */
  unitCase: string;
  /** Answered, then closed by the admin instansi. */
  closed: string;
  /** Verified, then rejected with a reason. */
  rejected: string;
  apiKey: string;
  revokedKey: string;
}

export async function createPublicFixture(): Promise<PublicFixture> {
  const app = await createTestApp();
  const admins = await addTestAdmins(app);
  fs.mkdirSync(path.join(app.dir, 'photos'), { recursive: true });
  fs.writeFileSync(path.join(app.dir, 'photos', 'anonim.jpg'), jpegWithMetadata());
  fs.writeFileSync(path.join(app.dir, 'photos', 'rahasia.jpg'), jpegWithMetadata());
  const instansi = { type: 'admin' as const, id: admins.instansi.id };

  const answered = await fileFixtureCase(app, { name: 'Budi Santoso' });
  await bringTo(app, answered, 'answered', admins);

  const rahasia = await fileFixtureCase(app, { name: REPORTER_NAME, draft: { privacy: 'rahasia', description: 'Pungli di loket pelayanan, rahasia sekali' } });
  await bringTo(app, rahasia, 'forwarded', admins);
  const rahasiaWithPhoto = await fileFixtureCase(app, {
    draft: { privacy: 'rahasia', photos: [{ kind: 'photo', path: 'photos/rahasia.jpg', mime: 'image/jpeg' }] },
  });
  await bringTo(app, rahasiaWithPhoto, 'verified', admins);

  const submitted = await fileFixtureCase(app, { name: 'Belum Diverifikasi', draft: { description: 'Lampu jalan mati di Jl. Kawi' } });

  const anonim = await fileFixtureCase(app, {
    key: `wa:main:${REPORTER_PHONE}@s.whatsapp.net`,
    name: REPORTER_NAME,
    draft: {
      privacy: 'anonim',
      description: `Sampah menumpuk di pinggir sungai, hubungi saya di ${PHONE_IN_TEXT}`,
      // The place of an anonim report is often the reporter's own street: the public gets it coarsened.
      locationText: ANONIM_STREET,
      kelurahan: 'Sumbersari',
      kecamatan: 'Lowokwaru',
      latitude: -7.955312,
      longitude: 112.614487,
      classification: { reportKind: 'pengaduan', categoryCode: 'SAMPAH', opdCode: 'DLH', confidence: 0.9, reason: 'test', classifier: 'test', latencyMs: 1 },
      photos: [{ kind: 'photo', path: 'photos/anonim.jpg', mime: 'image/jpeg' }],
    },
  });
  if (!(await verifyCase(deps(app), instansi, anonim)).ok) throw new Error('verify failed');

  const unitCase = await fileFixtureCase(app, {
    draft: {
      description: 'Antrean di puskesmas lama sekali, loket baru buka jam 9',
      classification: { reportKind: 'pengaduan', categoryCode: 'KESEHATAN', opdCode: 'DINKES', confidence: 0.9, reason: 'test', classifier: 'test', latencyMs: 1 },
    },
  });
  await bringTo(app, unitCase, 'forwarded', admins, 'DINKES');
  await app.db.case.update({ where: { trackingId: unitCase }, data: { unitCode: UNIT.code } });

  const closed = await fileFixtureCase(app);
  await bringTo(app, closed, 'answered', admins);
  if (!(await closeCase(deps(app), instansi, closed)).ok) throw new Error('close failed');

  const rejected = await fileFixtureCase(app);
  await bringTo(app, rejected, 'verified', admins);
  if (!(await rejectCase(deps(app), instansi, rejected, 'Bukan pelayanan publik')).ok) throw new Error('reject failed');

  // The fixture answers with its own text, so the page can be checked for it.
  await app.db.caseEvent.updateMany({ where: { action: 'answered', case: { trackingId: answered } }, data: { note: ANSWER } });

  const { key: apiKey } = await addApiKey(app.db, 'kota-app');
  const { key: revokedKey } = await addApiKey(app.db, 'old-app');
  await app.db.apiKey.update({ where: { name: 'old-app' }, data: { revokedAt: new Date() } });
  return { app, admins, answered, rahasia, rahasiaWithPhoto, submitted, anonim, unitCase, closed, rejected, apiKey, revokedKey };
}
