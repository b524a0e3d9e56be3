/**
 * The one place that says which layer may import which (README "Architecture", docs/architecture.md).
 * Dependencies point one way:
 *
 *   bot, scripts → flows → cases → reports → domain, db, nlp → lib
 *
 * (a layer may import any layer further right; reports sits above domain and db because the export and the
 * monthly figures read through db/ and apply domain/'s access rules). Nothing imports bot/ or scripts/ but
 * bot/, scripts/ and tests. Type-only imports count: a type is a dependency too.
 * Checked by test/architecture.test.ts inside `npm test`.
 */
const LAYERS = {
  lib: [],
  domain: ['lib'],
  db: ['lib'],
  nlp: ['lib'],
  reports: ['domain', 'db', 'lib'],
  cases: ['reports', 'domain', 'db', 'nlp', 'lib'],
  flows: ['cases', 'reports', 'domain', 'db', 'nlp', 'lib'],
};
const ALL = ['lib', 'domain', 'db', 'nlp', 'reports', 'cases', 'flows', 'bot', 'scripts', 'test'];

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => {
  const forbidden = ALL.filter((l) => l !== layer && !allowed.includes(l));
  return {
    name: `${layer}-imports-only-below`,
    comment: `${layer}/ may import only ${[layer, ...allowed].join(', ')} (and packages)`,
    severity: 'error',
    from: { path: `^${layer}/` },
    to: { path: `^(${forbidden.join('|')})/` },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'bot-and-scripts-are-the-top',
      comment: 'nothing imports bot/ or scripts/ except bot/, scripts/ and tests',
      severity: 'error',
      from: { pathNot: '^(bot|scripts|test)/' },
      to: { path: '^(bot|scripts)/' },
    },
    {
      name: 'flows-never-touch-prisma',
      comment: 'conversation handlers reach the database through cases/ and db/ functions, never the Prisma client',
      severity: 'error',
      from: { path: '^flows/' },
      to: { path: '^db/generated/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|db/generated)/' },
    // TypeScript 7 has no compiler API for dependency-cruiser to parse with; swc parses TypeScript and keeps
    // type-only imports.
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
