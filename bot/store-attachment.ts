import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const MIME_BY_EXT: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' };

/** The extension an image of this type is stored with (jpg for image/jpeg), or undefined when it is not an image we keep. */
export function imageExtension(mime: string): string | undefined {
  return Object.keys(MIME_BY_EXT).find((ext) => MIME_BY_EXT[ext] === mime);
}

export interface StoredAttachment {
  /** Relative to the data directory. */
  path: string;
  size: number;
  mime: string;
}

/** Saves an attachment under DATA_DIR/attachments with a random name (never the citizen's file name). */
export async function storeAttachment(dataDir: string, data: Buffer, extension = 'jpg'): Promise<StoredAttachment> {
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, '') || 'bin';
  const now = new Date();
  const relative = path.join('attachments', `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, `${randomUUID()}.${ext}`);
  const absolute = path.resolve(dataDir, relative);
  await fs.mkdir(path.dirname(absolute), { recursive: true });
  await fs.writeFile(absolute, data);
  return { path: relative, size: data.length, mime: MIME_BY_EXT[ext] ?? 'application/octet-stream' };
}
