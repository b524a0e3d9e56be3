import { newId } from '../lib/ids.ts';
import type { Db } from './client.ts';
import type { Channel } from '../flows/types.ts';

type Tx = Omit<Db, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export interface SenderInfo {
  name?: string;
  phone?: string;
}

/** Finds or creates the citizen behind a conversation key; one citizen per channel identity. */
export async function ensureCitizen(db: Tx, conversationKey: string, channel: Channel, sender: SenderInfo = {}, language = 'id') {
  const existing = await db.channelIdentity.findUnique({ where: { conversationKey } });
  if (existing) return existing.citizenId;
  const citizenId = newId();
  await db.citizen.create({ data: { id: citizenId, name: sender.name ?? null, language } });
  await db.channelIdentity.create({
    data: { conversationKey, channel, citizenId, displayName: sender.name ?? null, phone: sender.phone ?? null },
  });
  return citizenId;
}

export async function citizenIdForKey(db: Tx, conversationKey: string): Promise<string | null> {
  const identity = await db.channelIdentity.findUnique({ where: { conversationKey }, select: { citizenId: true } });
  return identity?.citizenId ?? null;
}
