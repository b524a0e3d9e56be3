import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { App } from '../app.ts';
import { OPEN_STATUSES } from '../../domain/case-status.ts';
import { fileCase } from '../../cases/file-case.ts';
import { currentDeadline } from '../../domain/case-deadlines.ts';
import { computeFigures, monthOf, UNASSIGNED, type Figures, type GroupFigures, type ReportCase } from '../../reports/monthly-figures.ts';
import { computeMonthlyReport } from '../../reports/monthly-report.ts';
import { redact } from '../../nlp/redact.ts';
import { detectReportKind } from '../../nlp/report-kind.ts';
import { KeywordClassifier } from '../../nlp/keyword-classifier.ts';
import type { Classification } from '../../nlp/classifier.ts';
import { open311Requests } from '../../lib/metrics.ts';
import { errorCode } from '../../lib/errors.ts';
import { authenticateApiKey } from '../../db/api-keys.ts';

/**
 * EVERYTHING the public HTTP side (Open311 API, case pages, dashboard) reads or writes goes through this one
 * interface, and the privacy rules for "the public" are enforced here, in one place:
 *   - a rahasia case never appears, not even as "exists" (same answer as an unknown id);
 *   - a case is public only once verified; before that its own reporter sees a bare "received" page;
 *   - no reporter, ever (anonim or not: the public never needs one), no chat key, phone, NIK or e-mail in any
 *     field (free text is redacted), no internal note, no citizen's follow-up words;
 *   - photos only of public cases, re-encoded so no EXIF/GPS metadata leaves the server.
 * The lead will rewire the implementation to domain/case-access.ts; the interface is what routes depend on.
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

export interface PublicEvent {
  at: Date;
  /** submitted, verified, forwarded, answered, returned, reopened, rejected, closed… */
  action: string;
  /** Only notes meant for the public: the OPD's name, the answer, the rejection reason (redacted). */
  note: string | null;
}

export interface PublicCase {
  trackingId: string;
  status: string;
  open: boolean;
  reportKind: string;
  serviceCode: string | null;
  serviceName: string | null;
  description: string;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
  /** The OPD holding the case (forwarded to it and not handed back), or null while the city's admin holds it. */
  agency: string | null;
  /** The answer, or the rejection reason. */
  statusNotes: string | null;
  requestedAt: Date;
  /** The last public event. */
  updatedAt: Date;
  /** The deadline the city owes now: verification, or the OPD's follow-up; none once answered or closed. */
  expectedAt: Date | null;
  expectedKind: 'verify' | 'follow-up' | null;
  photoIds: string[];
  events: PublicEvent[];
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

/** Public events and which of them may show their note; anything else (internal notes, the citizen's own words) never shows. */
const PUBLIC_EVENTS: Record<string, { note: boolean }> = {
  submitted: { note: false },
  verified: { note: false },
  forwarded: { note: true },
  answered: { note: true },
  returned: { note: false },
  reopened: { note: false },
  rejected: { note: true },
  closed: { note: false },
  auto_closed: { note: false },
  satisfied: { note: false },
  closed_unresolved: { note: false },
};

/** Statuses in which the forwarded OPD holds the case (a "rerouted" one went back to the admin instansi). */
const HELD_BY_OPD = ['forwarded', 'answered', 'reopened', 'closed'];

/** Longest side of a public photo: enough to see a pothole, and it caps the work of re-encoding. */
const PUBLIC_PHOTO_MAX_SIDE = 1600;
const PUBLIC_PHOTO_QUALITY = 85;

const caseSelect = {
  trackingId: true,
  status: true,
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
  attachments: { where: { kind: 'photo' }, select: { id: true }, orderBy: { createdAt: 'asc' } },
  events: { where: { internal: false }, select: { at: true, action: true, note: true }, orderBy: { at: 'asc' } },
} as const;

/** The public rule in one where-clause: never rahasia, only once verified. */
const PUBLIC_WHERE = { privacy: { not: 'rahasia' }, verifiedAt: { not: null } } as const;

const clean = (text: string | null | undefined): string | null => (text ? redact(text).text : null);

export function createPublicData(app: App): PublicData {
  const { db, profile, calendar, config } = app;
  const opdNames = new Map(profile.opds.map((o) => [o.code, o.name]));

  type Row = NonNullable<Awaited<ReturnType<typeof findOne>>>;
  function findOne(trackingId: string) {
    return db.case.findUnique({ where: { trackingId }, select: { ...caseSelect, privacy: true, verifiedAt: true } });
  }

  function toPublic(c: Omit<Row, 'privacy' | 'verifiedAt'>): PublicCase {
    const events: PublicEvent[] = c.events
      .filter((e) => PUBLIC_EVENTS[e.action])
      .map((e) => ({ at: e.at, action: e.action, note: PUBLIC_EVENTS[e.action].note ? clean(e.note) : null }));
    const lastOf = (action: string) => [...events].reverse().find((e) => e.action === action);
    const statusNotes =
      c.status === 'rejected' ? (lastOf('rejected')?.note ?? null) : c.answeredAt ? (lastOf('answered')?.note ?? null) : null;
    const deadline = currentDeadline(c, calendar);
    const expected = deadline && deadline.kind !== 'auto-close' ? deadline : undefined;
    const place = [c.kelurahan, c.kecamatan].filter(Boolean).join(', ');
    return {
      trackingId: c.trackingId,
      status: c.status,
      open: (OPEN_STATUSES as string[]).includes(c.status),
      reportKind: c.reportKind,
      serviceCode: c.categoryCode,
      serviceName: c.category?.name ?? null,
      description: clean(c.description) ?? '',
      address: clean(c.locationText) ?? (place || null),
      latitude: c.latitude,
      longitude: c.longitude,
      agency: c.forwardedAt && HELD_BY_OPD.includes(c.status) ? (c.opd?.name ?? null) : null,
      statusNotes,
      requestedAt: c.submittedAt,
      updatedAt: events.at(-1)?.at ?? c.submittedAt,
      expectedAt: expected?.dueAt ?? null,
      expectedKind: expected ? (expected.kind as 'verify' | 'follow-up') : null,
      photoIds: c.attachments.map((a) => a.id),
      events,
    };
  }

  async function yearFigures(year: string, now: Date): Promise<PublicFigureSet> {
    const from = calendar.startOfLocalDate(`${year}-01-01`);
    const to = calendar.startOfLocalDate(`${Number(year) + 1}-01-01`);
    const cases: ReportCase[] = await db.case.findMany({
      where: { submittedAt: { gte: from, lt: to } },
      select: {
        status: true,
        channel: true,
        opdCode: true,
        categoryCode: true,
        submittedAt: true,
        verifiedAt: true,
        forwardedAt: true,
        firstResponseAt: true,
        answeredAt: true,
        rating: true,
        resolved: true,
      },
    });
    const categoryNames = new Map(profile.categories.map((c) => [c.code, c.name]));
    // The same figures as the monthly report (computeFigures), grouped the same way, over a year.
    const group = (keyOf: (c: ReportCase) => string | null, names: Map<string, string>): GroupFigures[] => {
      const groups = new Map<string, ReportCase[]>();
      for (const c of cases) {
        const key = keyOf(c) ?? UNASSIGNED;
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      return [...groups.entries()]
        .map(([key, list]) => ({ key, name: names.get(key) ?? 'Belum ditentukan', ...computeFigures(list, calendar, now) }))
        .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
    };
    return {
      period: year,
      total: computeFigures(cases, calendar, now),
      byOpd: group((c) => c.opdCode, opdNames),
      byCategory: group((c) => c.categoryCode, categoryNames),
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
      return rows.map(toPublic);
    },

    async getPublicCase(trackingId) {
      const c = await findOne(trackingId);
      if (!c || c.privacy === 'rahasia') return null;
      if (!c.verifiedAt) return { visibility: 'pending', trackingId: c.trackingId, requestedAt: c.submittedAt, rejected: c.status === 'rejected' };
      return { visibility: 'public', case: toPublic(c) };
    },

    async publicFigures(now) {
      const month = monthOf(calendar, now);
      const [monthly, year] = await Promise.all([computeMonthlyReport(db, calendar, { month, now }), yearFigures(month.slice(0, 4), now)]);
      return {
        month: { period: month, total: monthly.total, byOpd: monthly.byOpd, byCategory: monthly.byCategory },
        year,
        generatedAt: now,
      };
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
      if (!attachment || attachment.kind !== 'photo' || attachment.case.privacy === 'rahasia' || !attachment.case.verifiedAt) return null;
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
