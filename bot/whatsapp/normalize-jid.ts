import { isLidUser, isPnUser, jidDecode, jidNormalizedUser, type WAMessageKey } from '@whiskeysockets/baileys';

/** The part of Baileys 7's LID mapping store the adapter needs (`sock.signalRepository.lidMapping`). */
export interface LidMappingLookup {
  getPNForLID(lid: string): Promise<string | null>;
}

export interface CitizenJid {
  /** The JID the conversation key is built from: the phone-number JID when known, else the LID. */
  jid: string;
  /** Phone number digits (country code first) when known. */
  phone?: string;
}

/**
 * Baileys 7 addresses one person either by phone number (…@s.whatsapp.net) or by LID (…@lid), and may switch
 * between them for the same chat. One citizen must be one conversation, so both resolve to the phone-number
 * JID: from the key's `remoteJidAlt` when WhatsApp sent it, else from the LID↔PN mapping Baileys stores (the
 * 'lid-mapping' keys in our database). Only a LID with no known mapping stays a LID. Device suffixes (:12) go.
 */
export async function resolveCitizenJid(key: Pick<WAMessageKey, 'remoteJid' | 'remoteJidAlt'>, lidMapping?: LidMappingLookup): Promise<CitizenJid | undefined> {
  if (!key.remoteJid) return undefined;
  const primary = jidNormalizedUser(key.remoteJid);
  const alt = key.remoteJidAlt ? jidNormalizedUser(key.remoteJidAlt) : undefined;
  let pn: string | undefined;
  if (isPnUser(primary)) pn = primary;
  else if (alt && isPnUser(alt)) pn = alt;
  else if (isLidUser(primary) && lidMapping) {
    const mapped = await lidMapping.getPNForLID(primary).catch(() => null);
    if (mapped) pn = jidNormalizedUser(mapped);
  }
  if (pn) return { jid: pn, phone: jidDecode(pn)?.user };
  return { jid: primary };
}
