import type { EmergencyContact } from '../lib/city-profile.ts';
import type { EmergencyKind } from '../lib/emergency-kinds.ts';

export type ReplyLanguage = 'id' | 'en';

/**
 * Numbers in the order a person in trouble needs them: those for this kind of emergency, then the ones for every
 * kind (112), then the rest. Profile order within each group, so a city can put its own line first.
 */
export function orderEmergencyContacts(contacts: readonly EmergencyContact[], kind?: EmergencyKind): EmergencyContact[] {
  const rank = (c: EmergencyContact) => (kind && c.kinds.includes(kind) ? 0 : c.kinds.length === 0 ? 1 : 2);
  return contacts
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
}

/**
 * The reply sent at once, before anything else, when a report looks like an emergency: the city's emergency
 * numbers, a warning that this channel is not an emergency line, and that the report can go on.
 */
export function renderEmergencyReply(options: {
  contacts: readonly EmergencyContact[];
  kind?: EmergencyKind;
  language: ReplyLanguage;
}): string {
  const { contacts, kind, language } = options;
  const lines = orderEmergencyContacts(contacts, kind).map(
    (c) => `• ${language === 'en' ? (c.nameEn ?? c.name) : c.name}: ${c.number}`,
  );
  if (language === 'en') {
    return [
      '🚨 This sounds like an emergency. If it is still happening, please call now:',
      ...lines,
      '',
      'This complaint service is not an emergency line and is not watched around the clock. You can still go on with your report: we mark it urgent so officers see it first.',
    ].join('\n');
  }
  return [
    '🚨 Kak, laporan ini sepertinya keadaan darurat. Kalau masih berlangsung, mohon segera telepon:',
    ...lines,
    '',
    'Layanan pengaduan ini bukan layanan darurat dan tidak dipantau setiap saat. Laporan Kakak tetap bisa dilanjutkan; kami tandai mendesak supaya segera dilihat petugas.',
  ].join('\n');
}
