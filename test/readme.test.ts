import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../lib/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration variable in its table', () => {
    const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    const missing = Object.keys(configSchema.shape).filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });

  it('gives the quick start and the test command that CI runs', () => {
    expect(readme).toMatch(/npm install[\s\S]*npm start/);
    const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci$/m);
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test$/m);
  });

  it('names only npm scripts that exist', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const used = [...readme.matchAll(/npm run ([a-z:]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(3);
    for (const name of used) expect(scripts, name).toHaveProperty(name);
  });
});

describe('.env.example', () => {
  it('lists every configuration variable and sets no secret', () => {
    const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(Object.keys(configSchema.shape).filter((key) => !listed.has(key))).toEqual([]);
    expect(example).not.toMatch(/^[A-Z_]*(TOKEN|KEY|SECRET)=\S/m);
  });
});
