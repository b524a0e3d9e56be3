import { expect } from 'vitest';
import type { TestApp } from './test-app.ts';
import type { Channel, IntakeDraft, Reply } from '../../flows/types.ts';
import type { NotificationSender } from '../../cases/notify.ts';
import { fileCase } from '../../cases/file-case.ts';
import { addAdmin, type AdminRecord } from '../../cases/manage-admins.ts';
import type { ActionDeps } from '../../cases/change-case.ts';
import { answerCase } from '../../cases/answer-case.ts';
import { forwardCase } from '../../cases/forward-case.ts';
import { verifyCase } from '../../cases/verify-case.ts';

export const COMPLAINT = 'Jalan berlubang besar di depan SDN Sumbersari 2, sudah dua minggu, bahaya untuk motor';

export interface Delivered {
  key: string;
  reply: Reply;
}

/**
 * A fake platform for the outbox: records every delivered notification, and can be told to fail the next
 * sends (to simulate an outage).
 */
export class RecordingSender implements NotificationSender {
  readonly delivered: Delivered[] = [];
  private failures: Error[] = [];
  constructor(readonly channel: Channel) {}
  failNext(...errors: Error[]): void {
    this.failures.push(...errors);
  }
  async send(key: string, reply: Reply): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.delivered.push({ key, reply });
  }
}

/** Registers recording senders for every channel and returns a function that drains and hands back what went out. */
export function recordOutbox(app: TestApp): { senders: Record<Channel, RecordingSender>; drain(): Promise<Delivered[]>; all: Delivered[] } {
  const senders = { tg: new RecordingSender('tg'), wa: new RecordingSender('wa'), term: new RecordingSender('term'), api: new RecordingSender('api') };
  for (const sender of Object.values(senders)) app.outbox.register(sender);
  const all: Delivered[] = [];
  return {
    senders,
    all,
    async drain() {
      const before = Object.values(senders).map((s) => s.delivered.length);
      await app.outbox.drainOnce();
      const fresh = Object.values(senders).flatMap((s, i) => s.delivered.slice(before[i]));
      all.push(...fresh);
      return fresh;
    },
  };
}

export const text = (replies: Reply[]) => replies.map((r) => [r.text, ...(r.choices ?? []).map((c) => `${c.label} [${c.value}]`)].join('\n')).join('\n---\n');

/** Files a case through the intake flow as a citizen would, and returns its tracking id. */
export async function fileThroughChat(app: TestApp, key: string, options: { privacy?: '1' | '2' | '3'; name?: string; phone?: string; description?: string } = {}): Promise<string> {
  const sender = { id: key, name: options.name, phone: options.phone };
  await app.say(key, { text: options.description ?? COMPLAINT, sender });
  await app.say(key, { text: 'Jl. Sumbersari No. 10, Lowokwaru', sender });
  await app.say(key, { text: 'lewati', sender });
  await app.say(key, { text: options.privacy ?? '1', sender });
  const filed = text(await app.say(key, { text: 'ya', sender }));
  const match = /LPR-[2-9A-Z]{6}/.exec(filed);
  expect(match, filed).not.toBeNull();
  return match![0];
}

let intakeSeq = 0;

/** Files a case straight into the database (fast fixture); overrides change the draft. */
export async function fileFixtureCase(app: TestApp, overrides: { key?: string; draft?: Partial<IntakeDraft>; name?: string } = {}): Promise<string> {
  const key = overrides.key ?? `tg:${600000 + ++intakeSeq}`;
  const draft: IntakeDraft = {
    description: COMPLAINT,
    locationText: 'Jl. Sumbersari No. 10',
    photos: [],
    privacy: 'biasa',
    classification: { reportKind: 'pengaduan', categoryCode: 'JALAN', opdCode: 'DPUPRPKP', confidence: 0.9, reason: 'test', classifier: 'test', latencyMs: 1 },
    ...overrides.draft,
  };
  const filed = await fileCase(
    { db: app.db, calendar: app.calendar },
    { intakeKey: `${key}#${++intakeSeq}`, conversationKey: key, channel: key.split(':')[0] as Channel, sender: { name: overrides.name }, language: 'id', draft, now: new Date() },
  );
  return filed.trackingId;
}

export interface Admins {
  instansi: AdminRecord;
  /** Admin penghubung of DPUPRPKP (roads), the OPD fixture cases go to. */
  pu: AdminRecord;
  /** Admin penghubung of DLH (environment), another OPD. */
  dlh: AdminRecord;
}

export async function addTestAdmins(app: TestApp): Promise<Admins> {
  return {
    instansi: await addAdmin(app.db, { role: 'instansi', name: 'Budi Instansi', conversationKey: 'tg:9001' }),
    dlh: await addAdmin(app.db, { role: 'penghubung', opdCode: 'DLH', name: 'Dewi DLH', conversationKey: 'tg:9002' }),
    pu: await addAdmin(app.db, { role: 'penghubung', opdCode: 'DPUPRPKP', name: 'Sari PU', conversationKey: 'tg:9003' }),
  };
}

export function deps(app: TestApp): ActionDeps {
  return { db: app.db, calendar: app.calendar, now: new Date() };
}

/** Moves a fixture case to a status through the real actions. */
export async function bringTo(app: TestApp, trackingId: string, status: 'submitted' | 'verified' | 'forwarded' | 'answered', admins: Admins, opdCode = 'DPUPRPKP'): Promise<void> {
  const instansi = { type: 'admin' as const, id: admins.instansi.id };
  if (status === 'submitted') return;
  if (status === 'verified') {
    expect((await verifyCase(deps(app), instansi, trackingId)).ok).toBe(true);
    return;
  }
  expect((await forwardCase(deps(app), instansi, trackingId, opdCode)).ok).toBe(true);
  if (status === 'answered') expect((await answerCase(deps(app), { type: 'admin', id: admins.pu.id }, trackingId, 'Sudah ditangani')).ok).toBe(true);
}
