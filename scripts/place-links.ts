/** Deep-link payload for a place: the citizen flow reads "/start place-<CODE>" and pre-fills the place. */
function placePayload(placeCode: string): string {
  return `place-${placeCode.toUpperCase()}`;
}

/** https://t.me/<bot>?start=place-<CODE>: Telegram opens the bot and sends "/start place-<CODE>". */
export function telegramPlaceLink(botUsername: string, placeCode: string): string {
  const username = botUsername.replace(/^@/, '');
  if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(username)) throw new Error(`"${botUsername}" is not a Telegram bot username`);
  return `https://t.me/${username}?start=${encodeURIComponent(placePayload(placeCode))}`;
}

/**
 * The sentence a WhatsApp QR code types for the citizen: plain Indonesian rather than a bot command, since the
 * citizen sees it before tapping send. The citizen flow recognises "(kode tempat: <CODE>)" in it.
 */
function whatsappPlaceText(placeCode: string, placeName: string): string {
  return `Halo, saya mau melapor tentang ${placeName} (kode tempat: ${placeCode.toUpperCase()})`;
}

/** https://wa.me/<number>?text=...: WhatsApp opens a chat with the text typed in, and the citizen taps send. */
export function whatsappPlaceLink(phoneNumber: string, placeCode: string, placeName: string): string {
  const digits = phoneNumber.replace(/\D/g, '');
  if (!/^\d{8,15}$/.test(digits)) throw new Error(`"${phoneNumber}" is not a phone number with country code`);
  return `https://wa.me/${digits}?text=${encodeURIComponent(whatsappPlaceText(placeCode, placeName))}`;
}
