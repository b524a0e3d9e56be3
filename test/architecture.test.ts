import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Dependencies point one way (bot, scripts → flows → cases → reports → domain, db, nlp → lib); the allowed
 * directions are in ONE file, .dependency-cruiser.cjs, and dependency-cruiser checks every import against it.
 */
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const SOURCES = ['bot', 'cases', 'db', 'domain', 'flows', 'lib', 'nlp', 'reports', 'scripts', 'prisma.config.ts'];

async function depcruise(cwd: string, paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(DEPCRUISE, ['--config', CONFIG, '--output-type', 'err', ...paths], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lapor-arch-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A throwaway tree with the project's layout, for checking that the check can fail. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'tree-'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "allowImportingTsExtensions": true } }');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('architecture: no upward import', () => {
  it('the project has no import from a layer above', async () => {
    const result = await depcruise(ROOT, SOURCES);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  });

  it.each([
    ['domain → flows (type-only)', 'domain/x.ts', "import type { A } from '../flows/a.ts';\nexport type B = A;\n", 'domain-imports-only-below'],
    ['db → cases', 'db/x.ts', "import { a } from '../cases/a.ts';\nexport const b = a;\n", 'db-imports-only-below'],
    ['lib → db', 'lib/x.ts', "import { a } from '../db/a.ts';\nexport const b = a;\n", 'lib-imports-only-below'],
    ['cases → flows', 'cases/x.ts', "import { a } from '../flows/a.ts';\nexport const b = a;\n", 'cases-imports-only-below'],
    ['flows → bot', 'flows/x.ts', "import { a } from '../bot/a.ts';\nexport const b = a;\n", 'flows-imports-only-below'],
  ])('fails on an upward import: %s', async (_label, file, text, rule) => {
    const target = text.match(/'\.\.\/([a-z]+)\/a\.ts'/)![1];
    const dir = tree({ [file]: text, [`${target}/a.ts`]: 'export const a = 1;\nexport type A = number;\n' });
    const result = await depcruise(dir, [path.dirname(file)]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(rule);
  });

  it('accepts a downward import in the same throwaway tree (the failures above are about direction)', async () => {
    const dir = tree({ 'flows/x.ts': "import { a } from '../cases/a.ts';\nexport const b = a;\n", 'cases/a.ts': 'export const a = 1;\n' });
    const result = await depcruise(dir, ['flows']);
    expect(result.output).toContain('no dependency violations found');
    expect(result.code).toBe(0);
  });
});
