import QRCode from 'qrcode';

/** The QR code Baileys hands over on `connection.update`, drawn with block characters for a terminal. */
export async function renderQrForTerminal(qr: string): Promise<string> {
  return QRCode.toString(qr, { type: 'terminal', small: true });
}

export function qrInstructions(qrDrawing: string): string {
  return [
    'WhatsApp: scan this QR code to link the bot',
    '  (on the phone: WhatsApp → Settings / ⋮ → Linked devices → Link a device)',
    qrDrawing,
  ].join('\n');
}

/** Baileys returns the 8-character code without a separator; phones show it as XXXX-XXXX. */
function formatPairingCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

export function pairingCodeInstructions(code: string): string {
  return [
    `WhatsApp pairing code: ${formatPairingCode(code)}`,
    '  On the phone: WhatsApp → Settings / ⋮ → Linked devices → Link a device →',
    '  "Link with phone number instead", then type the code above.',
  ].join('\n');
}
