import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../lib/errors.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../lib/private-files.ts';
import { AttachmentTooLargeError } from './read-capped.ts';

/** The only image types kept, recognised by their first bytes (never by a declared MIME type or a file name). */
export type ImageType = 'jpeg' | 'png' | 'webp';
const MIME: Record<ImageType, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const EXTENSION: Record<ImageType, string> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/**
 * Photos are scaled down to fit this box: enough to read a street sign or a meter in a complaint photo, and a
 * stored photo stays a few hundred kilobytes instead of a 12-megapixel original (disk, issue 12 #6).
 */
const MAX_STORED_SIDE = 2560;
/**
 * Decoding stops above this many pixels (a 100-megapixel camera is the largest a citizen has; anything bigger is a
 * decompression bomb: a small file that decodes to gigabytes).
 */
const MAX_INPUT_PIXELS = 100_000_000;
/** JPEG/WebP quality of the re-encoded photo: no visible loss for a complaint photo, about a third of the size. */
const STORED_QUALITY = 82;

/**
 * Per chat and calendar day (UTC), the bytes of photos one conversation may add to the disk. Five photos per
 * report at a few hundred kilobytes each after re-encoding is a few megabytes; 25 MB is several full reports a
 * day, and stops one chat from filling the disk with a photo flood (issue 12 #6).
 */
export const ATTACHMENT_DAILY_BUDGET_BYTES = 25 * 1024 * 1024;

export class UnsupportedImageError extends AppError {
  constructor(readonly detected: string) {
    super('IMAGE_UNSUPPORTED', `not a JPEG, PNG or WebP image (${detected})`);
  }
}

export class AttachmentBudgetError extends AppError {
  constructor(readonly limit: number) {
    super('ATTACHMENT_BUDGET_EXCEEDED', `the chat's daily attachment budget of ${limit} bytes is used up`);
  }
}

/**
 * Bytes stored per conversation today. In memory: it guards one process's disk writes, and a restart forgives a
 * day's count, which is harmless. Entries of earlier days are dropped as soon as the day changes.
 */
export class AttachmentBudget {
  private day = '';
  private readonly used = new Map<string, number>();

  constructor(readonly limitBytes = ATTACHMENT_DAILY_BUDGET_BYTES) {}

  private today(now: Date): void {
    const day = now.toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.used.clear();
    }
  }

  /** Bytes this conversation may still store today. */
  remaining(key: string, now = new Date()): number {
    this.today(now);
    return Math.max(0, this.limitBytes - (this.used.get(key) ?? 0));
  }

  /** Counts `bytes` against the conversation's budget; false (and nothing counted) when they do not fit. */
  take(key: string, bytes: number, now = new Date()): boolean {
    if (bytes > this.remaining(key, now)) return false;
    this.used.set(key, (this.used.get(key) ?? 0) + bytes);
    return true;
  }
}

/** The process's budget, shared by every channel adapter. */
export const dailyAttachmentBudget = new AttachmentBudget();

/** JPEG, PNG or WebP by magic number; undefined for anything else (SVG, HEIC, TIFF, GIF, PDF…). */
export function detectImageType(data: Buffer): ImageType | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/** A short, data-free name for what the bytes look like, for the error (and logs): never the content. */
function describe(data: Buffer): string {
  const head = data.toString('latin1', 0, 64);
  if (/^\s*(<\?xml|<svg)/i.test(head)) return 'svg';
  if (head.slice(4, 8) === 'ftyp') return `iso-bmff:${head.slice(8, 12).replace(/[^a-z0-9]/gi, '')}`;
  if (head.startsWith('II*\u0000') || head.startsWith('MM\u0000*')) return 'tiff';
  if (head.startsWith('GIF8')) return 'gif';
  if (head.startsWith('%PDF')) return 'pdf';
  return 'unknown';
}

/**
 * Decodes and re-encodes the image in its own format: EXIF (GPS position, camera, time), XMP, IPTC and ICC
 * metadata are dropped (sharp writes none unless asked), the EXIF orientation is applied to the pixels first so
 * the photo still shows upright, and large photos are scaled down. Anything sharp cannot decode as the type the
 * bytes claim is refused.
 */
async function reencode(data: Buffer, type: ImageType): Promise<Buffer> {
  let image;
  try {
    image = sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    const meta = await image.metadata();
    if (meta.format !== type) throw new UnsupportedImageError(`${type} header, ${meta.format ?? 'unknown'} content`);
  } catch (err) {
    if (err instanceof UnsupportedImageError) throw err;
    throw new UnsupportedImageError(`undecodable ${type}`);
  }
  const pipeline = image.rotate().resize({ width: MAX_STORED_SIDE, height: MAX_STORED_SIDE, fit: 'inside', withoutEnlargement: true });
  try {
    switch (type) {
      case 'jpeg':
        return await pipeline.jpeg({ quality: STORED_QUALITY, mozjpeg: true }).toBuffer();
      case 'png':
        return await pipeline.png({ compressionLevel: 9 }).toBuffer();
      case 'webp':
        return await pipeline.webp({ quality: STORED_QUALITY }).toBuffer();
    }
  } catch {
    // A file that passes the header check but breaks while decoding (truncated, corrupt).
    throw new UnsupportedImageError(`undecodable ${type}`);
  }
}

export interface StoredAttachment {
  /** Relative to the data directory. */
  path: string;
  size: number;
  mime: string;
}

export interface StoreAttachmentOptions {
  /** The conversation the photo came in; its daily budget is charged. Without it no budget applies (tools). */
  key?: string;
  budget?: AttachmentBudget;
  now?: Date;
}

/**
 * Saves a citizen's photo under DATA_DIR/attachments with a random name (never the citizen's file name), private
 * to the service user (0600 in 0700 folders). Only JPEG, PNG and WebP recognised by their bytes are taken, and
 * they are re-encoded without metadata. Throws UnsupportedImageError or AttachmentBudgetError (see photoProblem).
 */
export async function storeAttachment(dataDir: string, data: Buffer, options: StoreAttachmentOptions = {}): Promise<StoredAttachment> {
  const type = detectImageType(data);
  if (!type) throw new UnsupportedImageError(describe(data));
  const now = options.now ?? new Date();
  const budget = options.budget ?? dailyAttachmentBudget;
  // Checked before the (CPU-heavy) re-encoding too: a chat that used its budget gets no more work done.
  if (options.key !== undefined && budget.remaining(options.key, now) === 0) throw new AttachmentBudgetError(budget.limitBytes);
  const clean = await reencode(data, type);
  if (options.key !== undefined && !budget.take(options.key, clean.length, now)) throw new AttachmentBudgetError(budget.limitBytes);
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const relative = path.join('attachments', month, `${randomUUID()}.${EXTENSION[type]}`);
  const absolute = path.resolve(dataDir, relative);
  await fs.mkdir(path.dirname(absolute), { recursive: true, mode: PRIVATE_DIR_MODE });
  // 'wx': a fresh file, created with the private mode (never an existing file's looser one).
  await fs.writeFile(absolute, clean, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return { path: relative, size: clean.length, mime: MIME[type] };
}

/** What to tell the citizen about a photo that was not stored (an InboundMessage `unsupported` value). */
export function photoProblem(err: unknown): 'photo-too-large' | 'photo-unsupported' | 'photo-over-budget' | 'photo-failed' {
  if (err instanceof AttachmentTooLargeError) return 'photo-too-large';
  if (err instanceof UnsupportedImageError) return 'photo-unsupported';
  if (err instanceof AttachmentBudgetError) return 'photo-over-budget';
  return 'photo-failed';
}

/** The extension an image of this declared type would be stored with; kept for adapters that still ask. */
export function imageExtension(mime: string): string | undefined {
  const type = (Object.keys(MIME) as ImageType[]).find((t) => MIME[t] === mime);
  return type ? EXTENSION[type] : undefined;
}
