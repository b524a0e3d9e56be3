import { stringify } from 'csv-stringify/sync';
import { SAFE_CSV_CAST } from '../lib/csv-cell.ts';
import type { Db } from '../db/client.ts';
import type { WorkingCalendar } from '../lib/working-days.ts';
import { visibleTo } from '../domain/case-access.ts';
import { OPD_VISIBLE } from '../domain/case-status.ts';

/**
 * Cases for the city's records, with the export audience's rules (domain/case-access.ts) applied at the source:
 * a rahasia case is exported without its content (description, location, attachments), an anonim case without
 * its reporter, and no case ever carries a phone number or a chat id (the conversation key holds the WhatsApp
 * number): those are not even read.
 */

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export class ExportRangeError extends Error {
  readonly code = 'EXPORT_RANGE_INVALID';
}

export interface ExportRow {
  trackingId: string;
  submittedAt: string;
  reportKind: string;
  status: string;
  privacy: string;
  channel: string;
  categoryCode: string | null;
  categoryName: string | null;
  opdCode: string | null;
  opdName: string | null;
  /** The unit the case was disposed to (kelurahan, puskesmas). */
  unitCode: string | null;
  unitName: string | null;
  /** An integrity complaint's accused OPD and unit: only in the city-wide export (the admin instansi's). */
  accusedOpdCode: string | null;
  accusedUnitCode: string | null;
  /** Null on rahasia cases. */
  description: string | null;
  locationText: string | null;
  kelurahan: string | null;
  kecamatan: string | null;
  latitude: number | null;
  longitude: number | null;
  placeCode: string | null;
  /** Attachment paths relative to DATA_DIR; empty on rahasia cases. */
  attachments: string[];
  /** Null on anonim cases. */
  reporterName: string | null;
  verifiedAt: string | null;
  forwardedAt: string | null;
  firstResponseAt: string | null;
  /** The OPD's or unit's own first answer or hand-back since it was forwarded the case. */
  opdRespondedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  verifyDueAt: string | null;
  followUpDueAt: string | null;
  autoCloseAt: string | null;
  reopenCount: number;
  rating: number | null;
  resolved: boolean | null;
  /** Flagged urgent at filing (emergencyKind set), and whether an admin cleared it as a false alarm. */
  urgent: boolean;
  emergencyKind: string | null;
  /** Citizens who reported the same problem: counted, never named. */
  supporterCount: number;
  /** The main case this duplicate was merged into. */
  mergedInto: string | null;
}

export interface ExportRange {
  /** First and last day (inclusive, YYYY-MM-DD, city time) of submission. */
  from: string;
  to: string;
  /**
   * Limit to the cases one OPD (or one unit of it) holds, as its admin would see them (domain/case-access.ts):
   * forwarded there, not handed back, never a complaint accusing it; the accused columns are then left empty.
   */
  opdCode?: string;
  unitCode?: string;
}

export async function exportCases(db: Db, calendar: WorkingCalendar, range: ExportRange): Promise<ExportRow[]> {
  if (!DATE_PATTERN.test(range.from) || !DATE_PATTERN.test(range.to) || Number.isNaN(Date.parse(range.from)) || Number.isNaN(Date.parse(range.to))) {
    throw new ExportRangeError('dates must be YYYY-MM-DD');
  }
  if (range.from > range.to) throw new ExportRangeError('--from is after --to');
  const start = calendar.startOfLocalDate(range.from);
  // The day after `to` begins at its local midnight; a day is always 24 hours in Indonesia (no daylight saving).
  const end = new Date(calendar.startOfLocalDate(range.to).getTime() + 24 * 60 * 60 * 1000);
  const scoped = range.opdCode !== undefined;
  const cases = await db.case.findMany({
    where: {
      submittedAt: { gte: start, lt: end },
      ...(scoped
        ? {
            opdCode: range.opdCode,
            forwardedAt: { not: null },
            status: { in: [...OPD_VISIBLE] },
            ...(range.unitCode ? { unitCode: range.unitCode } : {}),
            AND: [
              { OR: [{ accusedOpdCode: null }, { accusedOpdCode: { not: range.opdCode } }] },
              ...(range.unitCode ? [{ OR: [{ accusedUnitCode: null }, { accusedUnitCode: { not: range.unitCode } }] }] : []),
            ],
          }
        : {}),
    },
    orderBy: { submittedAt: 'asc' },
    // Selected field by field: nothing identifying (phone, chat id, citizen id) is even read.
    select: {
      trackingId: true,
      submittedAt: true,
      reportKind: true,
      status: true,
      privacy: true,
      channel: true,
      categoryCode: true,
      opdCode: true,
      unitCode: true,
      accusedOpdCode: true,
      accusedUnitCode: true,
      opdRespondedAt: true,
      unit: { select: { name: true } },
      description: true,
      locationText: true,
      kelurahan: true,
      kecamatan: true,
      latitude: true,
      longitude: true,
      placeCode: true,
      verifiedAt: true,
      forwardedAt: true,
      firstResponseAt: true,
      answeredAt: true,
      closedAt: true,
      verifyDueAt: true,
      followUpDueAt: true,
      autoCloseAt: true,
      reopenCount: true,
      rating: true,
      resolved: true,
      urgent: true,
      emergencyKind: true,
      mergedIntoId: true,
      _count: { select: { supporters: true } },
      category: { select: { name: true } },
      opd: { select: { name: true } },
      reporter: { select: { name: true } },
      attachments: { select: { path: true, kind: true }, orderBy: { createdAt: 'asc' } },
    },
  });
  const mainIds = [...new Set(cases.map((c) => c.mergedIntoId).filter((x): x is string => x !== null))];
  const mains = mainIds.length ? await db.case.findMany({ where: { id: { in: mainIds } }, select: { id: true, trackingId: true } }) : [];
  const trackingOf = new Map(mains.map((m) => [m.id, m.trackingId]));
  // City time with its offset: "2026-12-03T23:59:59.999+07:00" is the deadline people in Malang read.
  const iso = (d: Date | null) => (d ? calendar.cityIso(d) : null);
  return cases.map((c) => {
    const sees = visibleTo('export', c);
    const secret = !sees.content;
    return {
      trackingId: c.trackingId,
      submittedAt: calendar.cityIso(c.submittedAt),
      reportKind: c.reportKind,
      status: c.status,
      privacy: c.privacy,
      channel: c.channel,
      categoryCode: c.categoryCode,
      categoryName: c.category?.name ?? null,
      opdCode: c.opdCode,
      opdName: c.opd?.name ?? null,
      unitCode: c.unitCode,
      unitName: c.unit?.name ?? null,
      accusedOpdCode: scoped ? null : c.accusedOpdCode,
      accusedUnitCode: scoped ? null : c.accusedUnitCode,
      description: secret ? null : c.description,
      locationText: secret ? null : c.locationText,
      kelurahan: secret ? null : c.kelurahan,
      kecamatan: secret ? null : c.kecamatan,
      latitude: secret ? null : c.latitude,
      longitude: secret ? null : c.longitude,
      placeCode: secret ? null : c.placeCode,
      // A voice identifies its speaker: an anonim case's voice notes stay out, like its reporter's name.
      attachments: secret ? [] : c.attachments.filter((a) => a.kind !== 'audio' || sees.reporterName).map((a) => a.path),
      reporterName: sees.reporterName ? (c.reporter.name ?? null) : null,
      verifiedAt: iso(c.verifiedAt),
      forwardedAt: iso(c.forwardedAt),
      firstResponseAt: iso(c.firstResponseAt),
      opdRespondedAt: iso(c.opdRespondedAt),
      answeredAt: iso(c.answeredAt),
      closedAt: iso(c.closedAt),
      verifyDueAt: iso(c.verifyDueAt),
      followUpDueAt: iso(c.followUpDueAt),
      autoCloseAt: iso(c.autoCloseAt),
      reopenCount: c.reopenCount,
      rating: c.rating,
      resolved: c.resolved,
      urgent: c.urgent,
      emergencyKind: c.emergencyKind,
      supporterCount: c._count.supporters,
      mergedInto: c.mergedIntoId ? (trackingOf.get(c.mergedIntoId) ?? null) : null,
    };
  });
}

const CSV_COLUMNS: Array<keyof ExportRow> = [
  'trackingId',
  'submittedAt',
  'reportKind',
  'status',
  'privacy',
  'channel',
  'categoryCode',
  'categoryName',
  'opdCode',
  'opdName',
  'unitCode',
  'unitName',
  'accusedOpdCode',
  'accusedUnitCode',
  'description',
  'locationText',
  'kelurahan',
  'kecamatan',
  'latitude',
  'longitude',
  'placeCode',
  'attachments',
  'reporterName',
  'verifiedAt',
  'forwardedAt',
  'firstResponseAt',
  'opdRespondedAt',
  'answeredAt',
  'closedAt',
  'verifyDueAt',
  'followUpDueAt',
  'autoCloseAt',
  'reopenCount',
  'rating',
  'resolved',
  'urgent',
  'emergencyKind',
  'supporterCount',
  'mergedInto',
];

export function formatExportCsv(rows: ExportRow[]): string {
  return stringify(
    rows.map((r) => ({ ...r, attachments: r.attachments.join(';') })),
    { header: true, columns: CSV_COLUMNS, cast: { ...SAFE_CSV_CAST, boolean: (v) => (v ? 'true' : 'false') } },
  );
}

export function formatExportJson(rows: ExportRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}
