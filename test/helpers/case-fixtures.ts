import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';

/** A time in Kota Malang (WIB, UTC+7), written as local ISO without zone: wib('2026-11-20T10:00'). */
export const wib = (local: string) => new Date(`${local.length === 10 ? `${local}T00:00` : local}+07:00`);

let seq = 0;

export interface CaseFixture {
  trackingId?: string;
  status?: string;
  privacy?: string;
  channel?: string;
  description?: string;
  opdCode?: string | null;
  categoryCode?: string | null;
  locationText?: string | null;
  submittedAt?: Date;
  verifiedAt?: Date | null;
  forwardedAt?: Date | null;
  firstResponseAt?: Date | null;
  answeredAt?: Date | null;
  opdRespondedAt?: Date | null;
  closedAt?: Date | null;
  verifyDueAt?: Date | null;
  followUpDueAt?: Date | null;
  autoCloseAt?: Date | null;
  rating?: number | null;
  resolved?: boolean | null;
  reporterName?: string;
  reporterPhone?: string;
  language?: string;
  conversationKey?: string;
  withPhoto?: boolean;
}

/** Inserts a reporter (citizen + channel identity with a phone number) and one case, as the lifecycle leaves it. */
export async function insertCase(db: Db, f: CaseFixture = {}): Promise<{ id: string; trackingId: string; conversationKey: string }> {
  seq++;
  const citizenId = randomUUID();
  const channel = f.channel ?? 'tg';
  const conversationKey = f.conversationKey ?? (channel === 'wa' ? `wa:bot:62812000${seq}@s.whatsapp.net` : `${channel}:${500000 + seq}`);
  await db.citizen.create({ data: { id: citizenId, name: f.reporterName ?? `Warga ${seq}`, language: f.language ?? 'id' } });
  await db.channelIdentity.create({
    data: { conversationKey, channel, citizenId, displayName: f.reporterName ?? `Warga ${seq}`, phone: f.reporterPhone ?? `62812000${seq}` },
  });
  const id = randomUUID();
  const trackingId = f.trackingId ?? `LPR-T${String(seq).padStart(5, '0')}`;
  await db.case.create({
    data: {
      id,
      trackingId,
      intakeKey: `fixture:${id}`,
      reportKind: 'pengaduan',
      description: f.description ?? `Keluhan nomor ${seq} tentang jalan berlubang`,
      categoryCode: f.categoryCode === undefined ? 'JALAN' : f.categoryCode,
      opdCode: f.opdCode === undefined ? 'DPUPRPKP' : f.opdCode,
      locationText: f.locationText === undefined ? `Jl. Fixture ${seq}` : f.locationText,
      latitude: -7.95,
      longitude: 112.61,
      kelurahan: 'Sumbersari',
      kecamatan: 'Lowokwaru',
      privacy: f.privacy ?? 'biasa',
      status: f.status ?? 'submitted',
      channel,
      reporterId: citizenId,
      conversationKey,
      submittedAt: f.submittedAt ?? wib('2026-11-16T09:00'),
      verifiedAt: f.verifiedAt ?? null,
      forwardedAt: f.forwardedAt ?? null,
      firstResponseAt: f.firstResponseAt ?? null,
      answeredAt: f.answeredAt ?? null,
      opdRespondedAt: f.opdRespondedAt ?? null,
      closedAt: f.closedAt ?? null,
      verifyDueAt: f.verifyDueAt ?? null,
      followUpDueAt: f.followUpDueAt ?? null,
      autoCloseAt: f.autoCloseAt ?? null,
      rating: f.rating ?? null,
      resolved: f.resolved ?? null,
    },
  });
  if (f.withPhoto) await db.attachment.create({ data: { id: randomUUID(), caseId: id, kind: 'photo', path: `photos/${id}.jpg`, mime: 'image/jpeg' } });
  return { id, trackingId, conversationKey };
}

export interface AdminFixture {
  role?: 'instansi' | 'penghubung';
  opdCode?: string | null;
  conversationKey?: string;
  removedAt?: Date | null;
  name?: string;
}

export async function insertAdmin(db: Db, f: AdminFixture = {}): Promise<{ id: string; conversationKey: string }> {
  seq++;
  const id = randomUUID();
  const conversationKey = f.conversationKey ?? `tg:${900000 + seq}`;
  await db.admin.create({
    data: {
      id,
      name: f.name ?? `Admin ${seq}`,
      role: f.role ?? 'penghubung',
      opdCode: f.role === 'instansi' ? null : (f.opdCode ?? 'DPUPRPKP'),
      conversationKey,
      removedAt: f.removedAt ?? null,
    },
  });
  return { id, conversationKey };
}
