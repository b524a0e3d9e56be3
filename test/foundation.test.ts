import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../lib/config.ts';
import { CityProfileError, loadCityProfile, recognizeArea } from '../lib/city-profile.ts';
import { ConversationKeyError, makeConversationKey, parseConversationKey } from '../domain/conversation-key.ts';
import { newTrackingId, parseTrackingId } from '../domain/tracking-id.ts';

describe('configuration', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('file:./data/lapor.db');
    expect(config.CITY_PROFILE).toBe('malang');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.WHATSAPP_ENABLED).toBe(false);
  });

  it.each([
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ LLM_BASE_URL: 'not a url' }, 'LLM_BASE_URL'],
    [{ LLM_TIMEOUT_MS: '-5' }, 'LLM_TIMEOUT_MS'],
    [{ WHATSAPP_PHONE_NUMBER: '+62 812' }, 'WHATSAPP_PHONE_NUMBER'],
    [{ WHATSAPP_ENABLED: 'maybe' }, 'WHATSAPP_ENABLED'],
  ])('rejects %o with an error naming %s', (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toContain(variable);
    }
  });

  it('reads an optional .env file, with the environment taking precedence', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-')), '.env');
    fs.writeFileSync(file, 'LOG_LEVEL=debug\nCITY_PROFILE=malang\nLLM_MODEL=qwen2.5\n');
    const config = loadConfig({ LOG_LEVEL: 'warn' }, { dotenvPath: file });
    expect(config.LOG_LEVEL).toBe('warn');
    expect(config.LLM_MODEL).toBe('qwen2.5');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: '', LOG_LEVEL: '' }).LOG_LEVEL).toBe('info');
  });
});

describe('city profile', () => {
  const profile = loadCityProfile('malang');
  const referenceFile = path.resolve(import.meta.dirname, '../../shared/reference/malang-opd.md');
  const hasReference = fs.existsSync(referenceFile);
  if (!hasReference) console.info(`city profile: OPD-code check skipped, ${referenceFile} is absent`);

  it.skipIf(!hasReference)('uses exactly the OPD codes of the Malang reference, plus the Inspektorat for integrity complaints', () => {
    const reference = fs.readFileSync(referenceFile, 'utf8');
    const referenceCodes = [...reference.matchAll(/^\| ([A-Z0-9-]+) \|/gm)].map((m) => m[1]).filter((c) => c !== 'code');
    // The complaint-data table has no INSPEKTORAT (no complaint was ever routed there); the OPD list has it.
    const opdList = fs.readFileSync(referenceFile.replace(/\.md$/, '.txt'), 'utf8');
    expect(opdList).toMatch(/^INSPEKTORAT$/m);
    expect(profile.opds.map((o) => o.code).sort()).toEqual([...referenceCodes, 'INSPEKTORAT'].sort());
    expect(profile.integrityOpdCode).toBe('INSPEKTORAT');
  });

  it('has 5 kecamatan and 57 kelurahan, every category pointing at a known OPD', () => {
    expect(profile.kecamatan).toHaveLength(5);
    expect(profile.kecamatan.flatMap((k) => k.kelurahan)).toHaveLength(57);
    const codes = new Set(profile.opds.map((o) => o.code));
    for (const c of profile.categories) expect(codes.has(c.defaultOpdCode)).toBe(true);
  });

  it('rejects a profile whose category points at an unknown OPD, naming the problem', () => {
    const broken = structuredClone(profile);
    broken.categories[0].defaultOpdCode = 'NOPE';
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'profile-')), 'broken.json');
    fs.writeFileSync(file, JSON.stringify(broken));
    expect(() => loadCityProfile(file)).toThrow(CityProfileError);
    expect(() => loadCityProfile(file)).toThrow(/unknown OPD NOPE/);
    expect(() => loadCityProfile('atlantis')).toThrow(/no city profile/);
  });

  it.each([
    ['Jl. Sumbersari No. 10, Lowokwaru', 'Sumbersari', 'Lowokwaru'],
    ['depan pasar oro oro dowo', 'Oro-oro Dowo', 'Klojen'],
    ['Perum Sawojajar blok C', 'Sawojajar', 'Kedungkandang'],
    ['kecamatan sukun dekat terminal', undefined, 'Sukun'],
    ['Kelurahan Sukun RT 3', 'Sukun', 'Sukun'],
    ['Jl. Merdeka, Surabaya', undefined, undefined],
  ])('recognises "%s" as kelurahan %s, kecamatan %s', (text, kelurahan, kecamatan) => {
    expect(recognizeArea(profile, text)).toEqual({ kelurahan, kecamatan });
  });
});

describe('conversation keys and tracking ids', () => {
  it.each([
    ['tg', ['123456789']],
    ['tg', ['-1001234']],
    ['wa', ['6281100000000', '6281234567890@s.whatsapp.net']],
    ['wa', ['bot', '123456789012345@lid']],
    ['term', ['budi']],
  ] as const)('%s key round-trips', (channel, parts) => {
    const key = makeConversationKey(channel, ...parts);
    expect(key.startsWith(`${channel}:`)).toBe(true);
    expect(parseConversationKey(key)).toEqual({ channel, parts: [...parts] });
  });

  it.each(['', 'xx:1', 'tg:', 'wa:onlyone', 'tg'])('rejects malformed key %j', (key) => {
    expect(() => parseConversationKey(key)).toThrow(ConversationKeyError);
  });

  it('tracking ids are canonical, unambiguous and parse back from sloppy input', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newTrackingId()));
    expect(ids.size).toBe(2000);
    for (const id of [...ids].slice(0, 50)) {
      expect(id).toMatch(/^LPR-[2-9A-HJKMNP-Z]{6}$/);
      expect(parseTrackingId(`#${id.toLowerCase()}`)).toBe(id);
      expect(parseTrackingId(id.replace('-', ''))).toBe(id);
    }
    expect(parseTrackingId('LPR-0O1IL0')).toBeNull();
    expect(parseTrackingId("1' OR '1'='1")).toBeNull();
    expect(parseTrackingId('LPR-ABC')).toBeNull();
  });
});
