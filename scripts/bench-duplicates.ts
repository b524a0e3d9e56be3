/**
 * `npm run bench:duplicates`: the duplicate lookup at the summary step (db/find-duplicate-candidates.ts, then the
 * rule in nlp/find-similar-cases.ts) against a SQLite database holding --cases open cases (default 100,000) spread
 * over Kota Malang's area, its 57 kelurahan and the last 60 days. Prints p50/p99 of --lookups lookups (target: p99
 * under 20 ms), then the same without the two indexes the lookup relies on, to show what they are worth.
 *
 * Options: --cases N, --lookups N (default 2000), --json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { applyMigrations } from '../db/migrate.ts';
import { openDatabase, type Db } from '../db/client.ts';
import { OPEN_STATUSES } from '../domain/case-status.ts';
import { sqliteTimestamp } from '../db/sqlite-direct.ts';
import { findDuplicateCandidates } from '../db/find-duplicate-candidates.ts';
import { findSimilarCases } from '../nlp/find-similar-cases.ts';
import { loadCityProfile } from '../lib/city-profile.ts';

const TARGET_P99_MS = 20;
const { values: args } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    lookups: { type: 'string', default: '2000' },
    json: { type: 'boolean', default: false },
  },
});
const CASES = Number(args.cases);
const LOOKUPS = Number(args.lookups);
const NOW = new Date();
const DAY_MS = 86_400_000;
const AREA = { minLat: -8.05, maxLat: -7.9, minLng: 112.57, maxLng: 112.7 };
const PHRASES = [
  'jalan berlubang besar di depan sekolah, bahaya untuk motor',
  'sampah di tps belum diangkut sudah lima hari, bau sekali',
  'lampu pju mati sejak minggu lalu, gang gelap',
  'saluran air mampet, kalau hujan jalan tergenang',
  'parkir liar di depan minimarket bikin macet',
  'pohon besar rantingnya menjuntai ke kabel listrik',
  'air pdam tidak mengalir dua hari',
  'trotoar rusak dan paving lepas',
];

// Deterministic pseudo-random numbers, so two runs measure the same data.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

const profile = loadCityProfile('malang');
const kelurahan = profile.kecamatan.flatMap((k) => k.kelurahan.map((l) => l.name));

function fill(file: string): void {
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  const insertOpd = conn.prepare('INSERT INTO "Opd" (code, name, scope, keywords, active) VALUES (?, ?, ?, ?, 1)');
  const insertCategory = conn.prepare('INSERT INTO "Category" (code, name, defaultOpdCode) VALUES (?, ?, ?)');
  const citizenId = randomUUID();
  const insertCase = conn.prepare(
    `INSERT INTO "Case" (id, trackingId, intakeKey, reportKind, description, categoryCode, opdCode, latitude, longitude,
       kelurahan, privacy, status, channel, reporterId, conversationKey, submittedAt, updatedAt)
     VALUES (?, ?, ?, 'pengaduan', ?, ?, ?, ?, ?, ?, 'biasa', ?, 'tg', ?, 'tg:1', ?, ?)`,
  );
  conn.transaction(() => {
    for (const o of profile.opds) insertOpd.run(o.code, o.name, o.scope, JSON.stringify(o.keywords));
    for (const c of profile.categories) insertCategory.run(c.code, c.name, c.defaultOpdCode);
    conn.prepare('INSERT INTO "Citizen" (id, language) VALUES (?, ?)').run(citizenId, 'id');
    for (let i = 0; i < CASES; i++) {
      const category = pick(profile.categories);
      const at = sqliteTimestamp(new Date(NOW.getTime() - random() * 60 * DAY_MS));
      const id = randomUUID();
      insertCase.run(
        id,
        `LPR-B${String(i).padStart(7, '0')}`,
        `bench:${id}`,
        `${pick(PHRASES)} (${i})`,
        category.code,
        category.defaultOpdCode,
        AREA.minLat + random() * (AREA.maxLat - AREA.minLat),
        AREA.minLng + random() * (AREA.maxLng - AREA.minLng),
        pick(kelurahan),
        pick(OPEN_STATUSES),
        citizenId,
        at,
        at,
      );
    }
  })();
  conn.close();
}

interface Figures {
  lookups: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time of this process per lookup: what the lookup costs, without the waits a busy machine adds. */
  cpuP50Ms: number;
  cpuP99Ms: number;
  /** CPU p50 of the database query alone (the rest is the TF-IDF and distance rule). */
  queryCpuP50Ms: number;
  meanCandidates: number;
}

async function measure(db: Db, lookups: number): Promise<Figures> {
  const times: number[] = [];
  const cpu: number[] = [];
  const queryCpu: number[] = [];
  let candidates = 0;
  for (let i = 0; i < lookups + 50; i++) {
    const category = pick(profile.categories);
    const draft = {
      description: pick(PHRASES),
      categoryCode: category.code,
      opdCode: category.defaultOpdCode,
      latitude: AREA.minLat + random() * (AREA.maxLat - AREA.minLat),
      longitude: AREA.minLng + random() * (AREA.maxLng - AREA.minLng),
      kelurahan: pick(kelurahan),
    };
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const found = await findDuplicateCandidates(db, { openStatuses: OPEN_STATUSES, ...draft, now: NOW });
    const queried = process.cpuUsage(cpuStarted);
    findSimilarCases(draft, found, { now: NOW });
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpuStarted);
    // The first 50 warm up the statement caches and the JIT.
    if (i >= 50) {
      times.push(ms);
      cpu.push((used.user + used.system) / 1000);
      queryCpu.push((queried.user + queried.system) / 1000);
      candidates += found.length;
    }
  }
  const q = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  return {
    lookups,
    p50Ms: q(times, 0.5),
    p99Ms: q(times, 0.99),
    maxMs: q(times, 1),
    cpuP50Ms: q(cpu, 0.5),
    cpuP99Ms: q(cpu, 0.99),
    queryCpuP50Ms: q(queryCpu, 0.5),
    meanCandidates: candidates / lookups,
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-bench-dup-'));
try {
  const file = path.join(dir, 'bench.db');
  await applyMigrations(`file:${file}`);
  const fillStarted = performance.now();
  fill(file);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const db = await openDatabase(`file:${file}`);
  const withIndexes = await measure(db, LOOKUPS);
  await db.$executeRawUnsafe('DROP INDEX "Case_latitude_longitude_idx"');
  await db.$executeRawUnsafe('DROP INDEX "Case_kelurahan_submittedAt_opdCode_categoryCode_status_idx"');
  const withoutIndexes = await measure(db, Math.min(LOOKUPS, 200));
  await db.$disconnect();
  const pass = withIndexes.p99Ms < TARGET_P99_MS;
  if (args.json) {
    console.log(JSON.stringify({ cases: CASES, fillSeconds, withIndexes, withoutIndexes, targetP99Ms: TARGET_P99_MS, pass }));
  } else {
    const f = (x: Figures) =>
      `p50 ${x.p50Ms.toFixed(2)} ms  p99 ${x.p99Ms.toFixed(2)} ms  max ${x.maxMs.toFixed(2)} ms; CPU p50 ${x.cpuP50Ms.toFixed(2)} ms  p99 ${x.cpuP99Ms.toFixed(2)} ms, query alone p50 ${x.queryCpuP50Ms.toFixed(2)} ms  (${x.lookups} lookups, ${x.meanCandidates.toFixed(1)} candidates each)`;
    console.log(`${CASES} open cases (filled in ${fillSeconds.toFixed(1)} s); load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
    console.log(`with the indexes:    ${f(withIndexes)}`);
    console.log(`without the indexes: ${f(withoutIndexes)}`);
    console.log(`target p99 < ${TARGET_P99_MS} ms: ${pass ? 'met' : 'NOT met'}`);
  }
  process.exitCode = pass ? 0 : 1;
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
