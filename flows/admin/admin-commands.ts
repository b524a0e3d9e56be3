import type { AdminRole } from '../../domain/case-status.ts';
import { parseTrackingId } from '../../domain/tracking-id.ts';

/**
 * Admin commands: parsing and help text, pure. Ids are accepted with or without "#", in any case, with or
 * without the "LPR-" prefix; a malformed id gets its own clear answer.
 */
export const ADMIN_COMMAND_NAMES = ['inbox', 'cari', 'kasus', 'verifikasi', 'teruskan', 'disposisi', 'tolak', 'balas', 'kembalikan', 'catatan', 'tutup', 'gabung', 'bukandarurat', 'statistik', 'admin', 'bantuan'] as const;
export type AdminCommandName = (typeof ADMIN_COMMAND_NAMES)[number];

const ALIASES: Record<string, AdminCommandName> = { help: 'bantuan' };

export type AdminCommand =
  /** The words after /inbox (page, filters), parsed against the city profile by domain/inbox-query.ts. */
  | { name: 'inbox'; args: string }
  | { name: 'cari'; args: string }
  /** Merge a duplicate into the main case: its reporter becomes a supporter of the main case. */
  | { name: 'gabung'; trackingId: string; mainTrackingId: string }
  /** Clear a false emergency alarm: deadlines back to working days. */
  | { name: 'bukandarurat'; trackingId: string; text?: string }
  | { name: 'kasus'; trackingId: string }
  | { name: 'verifikasi'; trackingId: string; codes: string[] }
  /** codes: the OPD and/or a corrected category, in any order. */
  | { name: 'teruskan'; trackingId: string; codes: string[] }
  | { name: 'disposisi'; trackingId: string; unit?: string }
  | { name: 'tolak'; trackingId: string; text: string }
  | { name: 'balas'; trackingId: string; text: string }
  | { name: 'kembalikan'; trackingId: string; text: string }
  | { name: 'catatan'; trackingId: string; text: string }
  | { name: 'tutup'; trackingId: string; text?: string }
  /** Answered by the /statistik handler (flows/admin/statistik-command.ts); listed here for help and parsing. */
  | { name: 'statistik'; month?: string }
  /** opdCode may name a unit (PKM-ARJUNO): the admin penghubung of that unit. */
  | { name: 'admin'; sub: 'tambah'; role: AdminRole; opdCode?: string; key: string; adminName: string }
  | { name: 'admin'; sub: 'hapus'; key: string }
  | { name: 'admin'; sub: 'daftar' }
  | { name: 'bantuan'; topic?: AdminCommandName };

export type ParseResult =
  | { ok: true; command: AdminCommand }
  | { ok: false; name: AdminCommandName; problem: 'usage' }
  | { ok: false; name: AdminCommandName; problem: 'badId'; value: string };

/** Commands only the admin instansi may use; the rest are for both roles (scoped to the OPD for penghubung). */
export const INSTANSI_ONLY: ReadonlySet<AdminCommandName> = new Set(['verifikasi', 'teruskan', 'tolak', 'tutup', 'gabung', 'bukandarurat', 'admin']);

/** Commands a unit's admin does not have: disposing to a unit is its OPD's decision. */
export const NOT_FOR_UNITS: ReadonlySet<AdminCommandName> = new Set(['disposisi']);

export function commandAllowed(role: AdminRole, name: AdminCommandName, unitCode?: string | null): boolean {
  if (unitCode && NOT_FOR_UNITS.has(name)) return false;
  return role === 'instansi' || !INSTANSI_ONLY.has(name);
}

/** The command name of a "/xxx" message, if it is an admin command; undefined otherwise. */
export function adminCommandName(text: string): AdminCommandName | undefined {
  const m = /^\s*\/([a-z]+)(?:@\w+)?(?:\s|$)/i.exec(text);
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  if ((ADMIN_COMMAND_NAMES as readonly string[]).includes(name)) return name as AdminCommandName;
  return ALIASES[name];
}

/** Parses an admin command; undefined when the text is not one (it then goes to the citizen flow). */
export function parseAdminCommand(text: string): ParseResult | undefined {
  const name = adminCommandName(text);
  if (!name) return undefined;
  const rest = text.trim().replace(/^\/\S+\s*/, '');
  const [first = '', ...others] = rest.split(/\s+/).filter(Boolean);
  const afterFirst = rest.slice(rest.indexOf(first) + first.length).trim();
  const usage = { ok: false, name, problem: 'usage' } as const;
  const withId = (build: (trackingId: string) => AdminCommand | undefined): ParseResult => {
    if (!first) return usage;
    const trackingId = parseTrackingId(first);
    if (!trackingId) return { ok: false, name, problem: 'badId', value: first };
    const command = build(trackingId);
    return command ? { ok: true, command } : usage;
  };
  switch (name) {
    case 'inbox':
      return { ok: true, command: { name, args: rest } };
    case 'cari':
      return rest ? { ok: true, command: { name, args: rest } } : usage;
    case 'statistik':
      return { ok: true, command: { name, month: rest || undefined } };
    case 'bantuan': {
      const topic = first ? adminCommandName(`/${first.replace(/^\//, '')}`) : undefined;
      return { ok: true, command: { name, topic } };
    }
    case 'kasus':
      return withId((trackingId) => (others.length ? undefined : { name, trackingId }));
    case 'verifikasi':
      return withId((trackingId) => (others.length > 2 ? undefined : { name, trackingId, codes: others }));
    case 'teruskan':
      return withId((trackingId) => (others.length > 2 ? undefined : { name, trackingId, codes: others }));
    case 'disposisi':
      return withId((trackingId) => ({ name, trackingId, unit: others.length ? others.join(' ') : undefined }));
    case 'tolak':
    case 'balas':
    case 'kembalikan':
    case 'catatan':
      return withId((trackingId) => (afterFirst ? { name, trackingId, text: afterFirst } : undefined));
    case 'tutup':
      return withId((trackingId) => ({ name, trackingId, text: afterFirst || undefined }));
    case 'bukandarurat':
      return withId((trackingId) => ({ name, trackingId, text: afterFirst || undefined }));
    case 'gabung': {
      if (others.length !== 1) return withId(() => undefined);
      const mainTrackingId = parseTrackingId(others[0]);
      if (!mainTrackingId) return { ok: false, name, problem: 'badId', value: others[0] };
      return withId((trackingId) => ({ name, trackingId, mainTrackingId }));
    }
    case 'admin':
      return parseAdminSub(first, others);
  }
}

function parseAdminSub(sub: string, args: string[]): ParseResult {
  const usage = { ok: false, name: 'admin', problem: 'usage' } as const;
  switch (sub.toLowerCase()) {
    case 'daftar':
    case 'list':
      return { ok: true, command: { name: 'admin', sub: 'daftar' } };
    case 'hapus':
    case 'remove':
      return args.length === 1 ? { ok: true, command: { name: 'admin', sub: 'hapus', key: args[0] } } : usage;
    case 'tambah':
    case 'add': {
      const role = args[0]?.toLowerCase();
      if (role === 'instansi' && args.length >= 3) {
        return { ok: true, command: { name: 'admin', sub: 'tambah', role, key: args[1], adminName: args.slice(2).join(' ') } };
      }
      if (role === 'penghubung' && args.length >= 4) {
        return { ok: true, command: { name: 'admin', sub: 'tambah', role, opdCode: args[1].toUpperCase(), key: args[2], adminName: args.slice(3).join(' ') } };
      }
      return usage;
    }
    default:
      return usage;
  }
}

interface CommandHelp {
  usage: string;
  what: string;
  example: string;
}

export const COMMAND_HELP: Record<AdminCommandName, CommandHelp> = {
  inbox: {
    usage: '/inbox [halaman] [OPD/unit] [status] [terlambat] [darurat] [semua]',
    what: 'antrean laporan Anda, 10 per halaman; yang darurat lalu yang lewat tenggat paling atas; boleh disaring ("darurat": hanya yang darurat)',
    example: '/inbox terlambat DLH 2',
  },
  cari: { usage: '/cari <kata | nomor> [hal N]', what: 'cari laporan (yang boleh Anda lihat) menurut kata atau nomor', example: '/cari jalan sumbersari' },
  kasus: { usage: '/kasus <nomor>', what: 'detail laporan, foto dan riwayatnya (termasuk catatan internal)', example: '/kasus LPR-ABC234' },
  verifikasi: {
    usage: '/verifikasi <nomor> [kategori] [OPD]',
    what: 'terima laporan; boleh sekaligus membetulkan kategori dan/atau OPD tujuan',
    example: '/verifikasi LPR-ABC234 SAMPAH DLH',
  },
  teruskan: {
    usage: '/teruskan <nomor> <OPD> [kategori]',
    what: 'teruskan ke OPD (laporan baru sekaligus diverifikasi); tanpa OPD dipakai OPD saran; boleh sekaligus membetulkan kategori',
    example: '/teruskan LPR-ABC234 DPUPRPKP JALAN',
  },
  disposisi: {
    usage: '/disposisi <nomor> <unit>',
    what: 'serahkan laporan OPD Anda ke salah satu unitnya (kelurahan, kecamatan, puskesmas); tanpa unit: daftar unit',
    example: '/disposisi LPR-ABC234 KEL-SUMBERSARI',
  },
  tolak: { usage: '/tolak <nomor> <alasan>', what: 'tolak laporan; alasannya dikirim ke pelapor', example: '/tolak LPR-ABC234 Bukan layanan publik Pemkot' },
  balas: {
    usage: '/balas <nomor> <tanggapan>',
    what: 'kirim tanggapan OPD ke pelapor (atau cukup balas pesan bot tentang laporan itu)',
    example: '/balas LPR-ABC234 Lubang sudah ditambal hari ini',
  },
  kembalikan: {
    usage: '/kembalikan <nomor> <alasan>',
    what: 'bukan wewenang Anda: OPD mengembalikan ke admin instansi, unit mengembalikan ke OPD-nya',
    example: '/kembalikan LPR-ABC234 Ini jalan provinsi, bukan jalan kota',
  },
  catatan: { usage: '/catatan <nomor> <teks>', what: 'catatan internal; tidak pernah terlihat oleh pelapor', example: '/catatan LPR-ABC234 Sudah dicek tim lapangan' },
  tutup: { usage: '/tutup <nomor> [catatan]', what: 'tutup laporan yang sudah dijawab; pelapor dikabari', example: '/tutup LPR-ABC234' },
  gabung: {
    usage: '/gabung <nomor> <nomor-utama>',
    what: 'gabungkan laporan ganda ke laporan utama; pelapornya jadi pendukung laporan utama dan ikut menerima kabarnya',
    example: '/gabung LPR-DEF567 LPR-ABC234',
  },
  bukandarurat: {
    usage: '/bukandarurat <nomor> [catatan]',
    what: 'laporan yang ditandai darurat ternyata bukan darurat: tenggat kembali ke hari kerja biasa',
    example: '/bukandarurat LPR-ABC234 Pohon sudah dipotong warga',
  },
  statistik: {
    usage: '/statistik [bulan]',
    what: 'statistik bulanan (diterima, respons, SLA, kepuasan) dan grafiknya; tanpa bulan = bulan ini, juga "lalu" atau 2026-11; penghubung: OPD-nya saja',
    example: '/statistik november 2026',
  },
  admin: {
    usage: '/admin tambah instansi <kunci> <nama>\n/admin tambah penghubung <OPD atau unit> <kunci> <nama>\n/admin hapus <kunci>\n/admin daftar',
    what: 'kelola admin; kunci = tg:<chat id>, wa:<akun>:<jid> atau term:<nama>',
    example: '/admin tambah penghubung DLH tg:123456 Sari DLH',
  },
  bantuan: { usage: '/bantuan [perintah]', what: 'daftar perintah, atau penjelasan satu perintah', example: '/bantuan teruskan' },
};

export function adminHelp(role: AdminRole, topic?: AdminCommandName, unitCode?: string | null): string {
  if (topic) {
    const h = COMMAND_HELP[topic];
    const restricted = !commandAllowed(role, topic, unitCode) ? (unitCode && NOT_FOR_UNITS.has(topic) ? '\n(Untuk admin OPD, bukan unit.)' : '\n(Hanya untuk admin instansi.)') : '';
    return `${h.usage}\n${h.what}.\nContoh: ${h.example}${restricted}`;
  }
  const lines = [
    role === 'instansi' ? 'Perintah admin instansi:' : unitCode ? `Perintah admin penghubung unit ${unitCode}:` : 'Perintah admin penghubung OPD:',
    ...ADMIN_COMMAND_NAMES.filter((n) => commandAllowed(role, n, unitCode)).map((n) => `• ${COMMAND_HELP[n].usage.split('\n')[0]} — ${COMMAND_HELP[n].what}`),
    '',
    'Nomor laporan boleh ditulis LPR-ABC234, #lpr-abc234 atau abc234. Ketik /bantuan <perintah> untuk contoh.',
  ];
  return lines.join('\n');
}

export function usageText(name: AdminCommandName): string {
  const h = COMMAND_HELP[name];
  return `Format perintahnya belum pas.\n${h.usage}\nContoh: ${h.example}`;
}
