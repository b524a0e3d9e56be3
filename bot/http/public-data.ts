import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { App } from '../app.ts';
import { OPEN_STATUSES } from '../../domain/case-status.ts';
import { PUBLIC_LISTING, PUBLIC_RAHASIA_GROUP, publicGroupKey, publicStanding, publicView, type PublicCaseView, type PublicEventView } from '../../domain/case-access.ts';
import { fileCase } from '../../cases/file-case.ts';
import { currentDeadline } from '../../domain/case-deadlines.ts';
import { computeFigures, monthOf, monthRange, UNASSIGNED, type Figures, type GroupFigures, type ReportCase } from '../../reports/monthly-figures.ts';
import { redact } from '../../nlp/redact.ts';
import { detectReportKind } from '../../nlp/report-kind.ts';
import { KeywordClassifier } from '../../nlp/keyword-classifier.ts';
import type { Classification } from '../../nlp/classifier.ts';
import { open311Requests } from '../../lib/metrics.ts';
import { errorCode } from '../../lib/errors.ts';
import { authenticateApiKey } from '../../db/api-keys.ts';

/**
 * EVERYTHING the public HTTP side (Open311 API, case pages, dashboard) reads or writes goes through this one
 * interface. What the public may see is decided by domain/case-access.ts (publicStanding, publicView,
 * PUBLIC_LISTING, publicGroupKey: rahasia never, listed only once verified, no reporter, anonim places
 * coarsened, photos of listed cases only); this module reads the rows, masks free text with nlp/redact and
 * re-encodes photos so no EXIF/GPS metadata leaves the server.
 */
export interface PublicData {
  /** Categories of the city profile, as Open311 services. */
  services(): PublicService[];
  listPublicCases(filter: PublicCaseFilter): Promise<PublicCase[]>;
  /** null: unknown or not for the public (rahasia): callers must answer both the same way. */
  getPublicCase(trackingId: string): Promise<PublicCaseLookup | null>;
  /** Dashboard figures for the month and the year containing `now`. */
  publicFigures(now: Date): Promise<PublicFigures>;
  /** A report filed by an app through the Open311 API, as a case like any other. */
  fileOpen311Request(input: Open311Filing): Promise<{ trackingId: string }>;
  /** The name of the active Open311 API key `key` is, or undefined (unknown or revoked). */
  authenticateApiKey(key: string): Promise<string | undefined>;
  /** A public photo without metadata, or null (unknown, not a photo, or its case is not public). */
  publicPhoto(attachmentId: string): Promise<{ bytes: Buffer; mime: 'image/jpeg' } | null>;
  /** The city's IANA time zone and its name (dates are shown with the city's offset). */
  readonly timezone: string;
  readonly cityName: string;
  readonly jurisdictionId: string;
}

export interface PublicService {
  code: string;
  name: string;
  /** Name of the OPD that usually handles it. */
  group: string;
  keywords: string[];
}

export interface PublicCaseFilter {
  trackingIds?: string[];
  serviceCodes?: string[];
  /** requested_datetime in [from, to]. */
  from?: Date;
  to?: Date;
  open?: boolean;
  limit: number;
}

export type PublicEvent = PublicEventView;

/** A listed case as the public sees it (domain/case-access.ts publicView), with the deadline the city owes now. */
export interface PublicCase extends PublicCaseView {
  /** The deadline the city owes now: verification, or the OPD's follow-up; none once answered or closed. */
  expectedAt: Date | null;
  expectedKind: 'verify' | 'follow-up' | null;
}

export type PublicCaseLookup =
  | { visibility: 'public'; case: PublicCase }
  /** Filed, not yet verified: only that it was received, when, and whether it was turned down. */
  | { visibility: 'pending'; trackingId: string; requestedAt: Date; rejected: boolean };

export interface PublicFigureSet {
  /** YYYY-MM or YYYY. */
  period: string;
  total: Figures;
  byOpd: GroupFigures[];
  /** Cases an OPD passed to one of its units (puskesmas, kelurahan office), by unit. */
  byUnit: GroupFigures[];
  byCategory: GroupFigures[];
}

export interface PublicFigures {
  month: PublicFigureSet;
  year: PublicFigureSet;
  generatedAt: Date;
}

export interface Open311Filing {
  apiKeyName: string;
  serviceCode?: string;
  description?: string;
  latitude?: number;
  longitude?: number;
  address?: string;
  /** first_name and last_name: kept as the reporter's name for the admin instansi, never public. */
  reporterName?: string;
  now: Date;
}

export class UnknownServiceError extends Error {
  readonly code = 'OPEN311_UNKNOWN_SERVICE';
}

/** Longest side of a public photo: enough to see a pothole, and it caps the work of re-encoding. */
const PUBLIC_PHOTO_MAX_SIDE = 1600;
const PUBLIC_PHOTO_QUALITY = 85;

const caseSelect = {
  trackingId: true,
  status: true,
  privacy: true,
  verifiedAt: true,
  reportKind: true,
  categoryCode: true,
  description: true,
  locationText: true,
  kelurahan: true,
  kecamatan: true,
  latitude: true,
  longitude: true,
  forwardedAt: true,
  submittedAt: true,
  answeredAt: true,
  verifyDueAt: true,
  followUpDueAt: true,
  autoCloseAt: true,
  category: { select: { name: true } },
  opd: { select: { name: true } },
  unit: { select: { name: true } },
  attachments: { where: { kind: 'photo' }, select: { id: true }, orderBy: { createdAt: 'asc' } },
  events: { where: { internal: false }, select: { at: true, action: true, note: true }, orderBy: { at: 'asc' } },
} as const;

/** domain/case-access.ts's listing rule (PUBLIC_LISTING) as a where-clause. */
const PUBLIC_WHERE = {
  privacy: { notIn: [...PUBLIC_LISTING.hiddenPrivacy] },
  ...(PUBLIC_LISTING.requiresVerification ? { verifiedAt: { not: null } } : {}),
};

const mask = (text: string): string => redact(text).text;

/** A dashboard row for the rahasia cases: counted, never placed under their OPD, unit or category. */
const RAHASIA_ROW_NAME = 'Laporan rahasia';

export function createPublicData(app: App): PublicData {
  const { db, profile, calendar, config } = app;
  const opdNames = new Map(profile.opds.map((o) => [o.code, o.name]));

  function findOne(trackingId: string) {
    return db.case.findUnique({ where: { trackingId }, select: caseSelect });
  }
  type Row = NonNullable<Awaited<ReturnType<typeof findOne>>>;

  /** The public's view of a row (domain/case-access.ts publicView), or null when it is not listed. */
  function toPublic(c: Row): PublicCase | null {
    const view = publicView(
      {
        ...c,
        categoryName: c.category?.name ?? null,
        opdName: c.opd?.name ?? null,
        unitName: c.unit?.name ?? null,
        photoIds: c.attachments.map((a) => a.id),
      },
      mask,
    );
    if (!view) return null;
    const deadline = currentDeadline(c, calendar);
    const expected = deadline && deadline.kind !== 'auto-close' ? deadline : undefined;
    return { ...view, expectedAt: expected?.dueAt ?? null, expectedKind: expected ? (expected.kind as 'verify' | 'follow-up') : null };
  }

  /** Figures of the cases filed in [from, to): the same computation and grouping as the monthly report. */
  async function rangeFigures(period: string, from: Date, to: Date, now: Date): Promise<PublicFigureSet> {
    const cases = await db.case.findMany({
      where: { submittedAt: { gte: from, lt: to } },
      select: {
        status: true,
        channel: true,
        privacy: true,
        opdCode: true,
        unitCode: true,
        categoryCode: true,
        submittedAt: true,
        verifiedAt: true,
        forwardedAt: true,
        firstResponseAt: true,
        opdRespondedAt: true,
        answeredAt: true,
        rating: true,
        resolved: true,
      },
    });
    const categoryNames = new Map(profile.categories.map((c) => [c.code, c.name]));
    const unitNames = new Map(profile.units.map((u) => [u.code, u.name]));
    type Counted = (typeof cases)[number];
    // As in the monthly report: an OPD or unit is measured on its own response, never on the city's verification.
    const group = (list: Counted[], keyOf: (c: Counted) => string | null, names: Map<string, string>, responder: 'city' | 'opd'): GroupFigures[] => {
      const groups = new Map<string, ReportCase[]>();
      for (const c of list) {
        const key = publicGroupKey(c, keyOf(c) ?? UNASSIGNED);
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      const nameOf = (key: string) => (key === PUBLIC_RAHASIA_GROUP ? RAHASIA_ROW_NAME : (names.get(key) ?? 'Belum ditentukan'));
      return [...groups.entries()]
        .map(([key, members]) => ({ key, name: nameOf(key), ...computeFigures(members, calendar, now, responder) }))
        .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
    };
    return {
      period,
      total: computeFigures(cases, calendar, now),
      byOpd: group(cases, (c) => c.opdCode, opdNames, 'opd'),
      byUnit: group(cases.filter((c) => c.unitCode), (c) => c.unitCode, unitNames, 'opd'),
      byCategory: group(cases, (c) => c.categoryCode, categoryNames, 'city'),
    };
  }

  async function classify(filing: Open311Filing, description: string): Promise<Classification> {
    if (filing.serviceCode) {
      const category = profile.categories.find((c) => c.code === filing.serviceCode);
      if (!category) throw new UnknownServiceError(`unknown service_code ${filing.serviceCode}`);
      return {
        reportKind: detectReportKind(description),
        categoryCode: category.code,
        opdCode: category.defaultOpdCode,
        confidence: 1,
        reason: 'service_code given through Open311',
        classifier: 'open311',
        latencyMs: 0,
      };
    }
    try {
      return await app.classifier.classify({ text: description, location: filing.address });
    } catch (err) {
      // The same fallback the chat intake uses: the keyword classifier never needs the network.
      app.log.warn({ code: errorCode(err) }, 'Open311 filing: classifier failed; keyword fallback');
      const result = await new KeywordClassifier(profile).classify({ text: description, location: filing.address });
      return { ...result, fallback: errorCode(err) };
    }
  }

  return {
    timezone: profile.timezone,
    cityName: profile.name,
    jurisdictionId: profile.id,

    services() {
      return profile.categories.map((c) => ({ code: c.code, name: c.name, group: opdNames.get(c.defaultOpdCode) ?? c.defaultOpdCode, keywords: c.keywords }));
    },

    async listPublicCases(filter) {
      const rows = await db.case.findMany({
        where: {
          ...PUBLIC_WHERE,
          ...(filter.trackingIds ? { trackingId: { in: filter.trackingIds } } : {}),
          ...(filter.serviceCodes ? { categoryCode: { in: filter.serviceCodes } } : {}),
          ...(filter.from || filter.to ? { submittedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
          ...(filter.open === undefined ? {} : { status: filter.open ? { in: OPEN_STATUSES } : { notIn: OPEN_STATUSES } }),
        },
        select: caseSelect,
        orderBy: { submittedAt: 'desc' },
        take: filter.limit,
      });
      // The where-clause already applies the listing rule; publicView checks it again per case.
      return rows.map(toPublic).filter((c): c is PublicCase => c !== null);
    },

    async getPublicCase(trackingId) {
      const c = await findOne(trackingId);
      if (!c) return null;
      const standing = publicStanding(c);
      if (standing === 'hidden') return null;
      if (standing === 'received') return { visibility: 'pending', trackingId: c.trackingId, requestedAt: c.submittedAt, rejected: c.status === 'rejected' };
      const view = toPublic(c);
      return view ? { visibility: 'public', case: view } : null;
    },

    async publicFigures(now) {
      const month = monthOf(calendar, now);
      const year = month.slice(0, 4);
      const monthRangeOf = monthRange(calendar, month);
      const [monthly, yearly] = await Promise.all([
        rangeFigures(month, monthRangeOf.from, monthRangeOf.to, now),
        rangeFigures(year, calendar.startOfLocalDate(`${year}-01-01`), calendar.startOfLocalDate(`${Number(year) + 1}-01-01`), now),
      ]);
      return { month: monthly, year: yearly, generatedAt: now };
    },

    async fileOpen311Request(filing) {
      const category = filing.serviceCode ? profile.categories.find((c) => c.code === filing.serviceCode) : undefined;
      const description = filing.description?.trim() || category?.name || '';
      const classification = await classify(filing, description);
      const requestId = randomUUID();
      const filed = await fileCase(
        { db, calendar: app.calendar, profile: app.profile },
        {
          intakeKey: `api:${filing.apiKeyName}:${requestId}`,
          conversationKey: `api:${filing.apiKeyName}:${requestId}`,
          channel: 'api',
          sender: { name: filing.reporterName },
          language: 'id',
          draft: {
            description,
            locationText: filing.address,
            latitude: filing.latitude,
            longitude: filing.longitude,
            photos: [],
            privacy: 'biasa',
            classification,
          },
          now: filing.now,
        },
      );
      open311Requests.inc();
      app.log.info({ caseId: filed.id, channel: 'api', apiKey: filing.apiKeyName }, 'case filed through Open311');
      return { trackingId: filed.trackingId };
    },

    authenticateApiKey: (key) => authenticateApiKey(db, key),

    async publicPhoto(attachmentId) {
      const attachment = await db.attachment.findUnique({
        where: { id: attachmentId },
        select: { kind: true, path: true, case: { select: { privacy: true, verifiedAt: true } } },
      });
      // Photos are content: only of a case the public may see listed (domain/case-access.ts).
      if (!attachment || attachment.kind !== 'photo' || publicStanding(attachment.case) !== 'listed') return null;
      const cacheFile = path.join(config.DATA_DIR, 'public-media', `${attachmentId}.jpg`);
      const cached = await fs.readFile(cacheFile).catch(() => undefined);
      if (cached) return { bytes: cached, mime: 'image/jpeg' };
      const original = await fs.readFile(path.resolve(config.DATA_DIR, attachment.path)).catch(() => undefined);
      if (!original) return null;
      // Re-encoding from pixels drops every metadata block (EXIF with GPS and camera serial, XMP, comments).
      const image = await loadImage(original).catch(() => undefined);
      if (!image) return null;
      const scale = Math.min(1, PUBLIC_PHOTO_MAX_SIDE / Math.max(image.width, image.height));
      const canvas = createCanvas(Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale)));
      canvas.getContext('2d').drawImage(image, 0, 0, canvas.width, canvas.height);
      const bytes = await canvas.encode('jpeg', PUBLIC_PHOTO_QUALITY);
      await fs.mkdir(path.dirname(cacheFile), { recursive: true });
      await fs.writeFile(cacheFile, bytes);
      return { bytes, mime: 'image/jpeg' };
    },
  };
}
