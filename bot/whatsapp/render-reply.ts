import fs from 'node:fs/promises';
import path from 'node:path';
import type { AnyMessageContent } from '@whiskeysockets/baileys';
import type { Reply } from '../../flows/types.ts';

/**
 * Choices as plain lines under the text. Buttons and lists are unreliable outside the official WhatsApp API,
 * so numbered options are written out ("1. Buat laporan") and the person types the number back, which the
 * flow accepts as is; word options ("ya", "lewati") show the word to type in bold.
 */
export function renderReplyText(reply: Reply): string {
  const lines = [reply.text];
  const choices = reply.choices ?? [];
  if (choices.length > 0) lines.push('');
  for (const choice of choices) {
    lines.push(/^\d+$/.test(choice.value) ? `${choice.value}. ${choice.label}` : `*${choice.value}* – ${choice.label}`);
  }
  return lines.join('\n');
}

/** Builds what `sock.sendMessage` takes: a text, or an image with the text as its caption. */
export async function renderReply(reply: Reply, dataDir: string): Promise<AnyMessageContent> {
  const text = renderReplyText(reply);
  if (reply.image) {
    const file = path.isAbsolute(reply.image.path) ? reply.image.path : path.resolve(dataDir, reply.image.path);
    return { image: await fs.readFile(file), caption: text };
  }
  return { text };
}
