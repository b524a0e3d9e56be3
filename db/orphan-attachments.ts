import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from './client.ts';

/** Where photos live under DATA_DIR (bot/store-attachment.ts writes there). */
const ATTACHMENTS_FOLDER = 'attachments';
/**
 * A file younger than this is never deleted: the adapters save a photo before the flow takes it, and a citizen may
 * leave a draft open for hours before finishing it. A day covers both; a cancelled draft's photos go the day after.
 */
export const ORPHAN_GRACE_MS = 24 * 60 * 60 * 1000;

export interface OrphanCleanupOptions {
  dataDir: string;
  now?: Date;
  graceMs?: number;
}

export interface OrphanCleanupResult {
  /** Files looked at. */
  scanned: number;
  deleted: number;
  /** Bytes given back to the disk. */
  freedBytes: number;
}

/** Every "attachments/…" path in a conversation's stored state (its draft's photos), whatever the state's shape. */
function collectPaths(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value.startsWith(`${ATTACHMENTS_FOLDER}/`)) into.add(path.normalize(value));
  } else if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, into);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) collectPaths(item, into);
  }
}

/** The attachment paths ("attachments/…") anywhere in a stored value, e.g. a conversation's state. */
export function attachmentPathsIn(value: unknown): Set<string> {
  const paths = new Set<string>();
  collectPaths(value, paths);
  return paths;
}

export interface DroppedAttachmentsOptions {
  dataDir: string;
  /** Paths a conversation's state held before a step and no longer holds (a cancelled draft's photos). */
  paths: Iterable<string>;
}

/**
 * Deletes the files of photos a conversation let go of, unless a case keeps them (a filed draft's photos become
 * the case's attachments in the same step). Called right after the step's state is saved, so a cancelled
 * draft's photos go at once rather than the day after with the orphans. Returns how many files were deleted.
 */
export async function deleteDroppedAttachments(db: Db, options: DroppedAttachmentsOptions): Promise<number> {
  const root = path.resolve(options.dataDir);
  const folder = path.join(root, ATTACHMENTS_FOLDER) + path.sep;
  const candidates = [...new Set([...options.paths].map((p) => path.normalize(p)))].filter((p) => path.resolve(root, p).startsWith(folder));
  if (candidates.length === 0) return 0;
  const kept = new Set((await db.attachment.findMany({ where: { path: { in: candidates } }, select: { path: true } })).map((a) => path.normalize(a.path)));
  let deleted = 0;
  for (const relative of candidates) {
    if (kept.has(relative)) continue;
    const absolute = path.resolve(root, relative);
    const stat = await fs.lstat(absolute).catch(() => undefined);
    // Only regular files the bot wrote; a symbolic link is never followed or removed.
    if (!stat?.isFile()) continue;
    await fs.rm(absolute, { force: true });
    deleted++;
  }
  return deleted;
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    // Symbolic links are never followed or deleted: only files the bot wrote itself.
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * Deletes photo files that nothing refers to any more: no case's attachment and no open conversation's draft
 * (a cancelled draft, photos past the five a report keeps, a message refused after its photo was saved, a crash
 * between saving and filing). Files younger than the grace period are left, so a photo on its way into a draft
 * is never lost. For the daily job.
 */
export async function deleteOrphanAttachments(db: Db, options: OrphanCleanupOptions): Promise<OrphanCleanupResult> {
  const now = (options.now ?? new Date()).getTime();
  const graceMs = options.graceMs ?? ORPHAN_GRACE_MS;
  const root = path.resolve(options.dataDir);
  // Read the references after listing the candidates' ages would race a filing; read them first instead: a file
  // referenced from now on is younger than the grace period or was already referenced.
  const referenced = new Set<string>();
  for (const a of await db.attachment.findMany({ select: { path: true } })) referenced.add(path.normalize(a.path));
  for (const c of await db.conversation.findMany({ select: { state: true } })) collectPaths(c.state, referenced);

  const result: OrphanCleanupResult = { scanned: 0, deleted: 0, freedBytes: 0 };
  for await (const file of walk(path.join(root, ATTACHMENTS_FOLDER))) {
    result.scanned++;
    const relative = path.relative(root, file);
    if (referenced.has(relative)) continue;
    const stat = await fs.lstat(file);
    if (now - stat.mtimeMs < graceMs) continue;
    await fs.rm(file, { force: true });
    result.deleted++;
    result.freedBytes += stat.size;
  }
  return result;
}
