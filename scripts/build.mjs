// Builds the `mcp` executable in two parts:
// - dist/cli.cjs: esbuild bundles lib/entrypoint/cli/run.ts and its dependencies into one CommonJS
//   file. Lazily imported parts (a command's implementation, listr2, the MCP SDK) stay lazy: their
//   module bodies run only when imported. Minified, and with schemas compiled ahead of time (ajv
//   standalone).
// - dist/mcp.js: the launcher (lib/entrypoint/cli/bin.ts), an ES module of a few lines that
//   compiles cli.cjs through V8's code cache (see bin.ts). One file compiled from cache instead of
//   some forty ES module chunks compiled afresh on every start is most of `mcp list`'s start-up.
// Type checking is `npm run typecheck` (tsc --noEmit); esbuild only strips types.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
// Inside the project, so the generated code resolves ajv's small runtime helpers.
const work = path.join(root, 'node_modules/.cache/msm-build');
await mkdir(work, { recursive: true });

/** ajv standalone code for the same schemas and options lib/data/compiledValidators.ts uses. */
async function generateValidators() {
  const setFile = path.join(work, 'validatorSet.mjs');
  await build({ entryPoints: [path.join(root, 'lib/data/validatorSet.ts')], outfile: setFile, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning', packages: 'external' });
  const { AJV_OPTIONS, VALIDATED_SCHEMAS } = await import(pathToFileURL(setFile).href);
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const exports = {};
  for (const [name, schema] of Object.entries(VALIDATED_SCHEMAS)) {
    ajv.addSchema(schema, `msm:${name}`);
    exports[name] = `msm:${name}`;
  }
  const names = Object.keys(VALIDATED_SCHEMAS);
  const code = `${standaloneCode.default(ajv, exports)}\nconst all = { ${names.join(', ')} };\nexport function getValidator(name) { return all[name]; }\n`;
  const file = path.join(work, 'compiledValidators.mjs');
  await writeFile(file, code);
  return file;
}

/**
 * The dashboard's static files inline, as the module lib/entrypoint/server/dashboard/staticFiles.ts
 * would read them from disk: the bundle then carries the page (package.json ships only dist/).
 */
async function generateStaticFiles() {
  const dir = path.join(root, 'lib/entrypoint/server/dashboard/static');
  const files = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(path.join(dir, name), 'utf8');
  const file = path.join(work, 'dashboardStaticFiles.mjs');
  await writeFile(file, `const files = ${JSON.stringify(files)};\nexport async function readStaticFiles() { return files; }\n`);
  return file;
}

const validators = await generateValidators();
const dashboardFiles = await generateStaticFiles();
await rm(path.join(root, 'dist'), { recursive: true, force: true });
const dist = path.join(root, 'dist');
const cli = path.join(dist, 'cli.cjs');
await build({
  entryPoints: [path.join(root, 'lib/entrypoint/cli/run.ts')],
  outfile: cli,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  minify: true,
  // ssh2 carries optional native addons that cannot be bundled; it loads from node_modules, and
  // only when a remote host is used. The HTTP service's packages load from node_modules too, and
  // only for `mcp serve` (swagger-ui serves its page's files from its own package directory).
  external: ['node-ssh', 'ssh2', 'cpu-features', 'fastify', '@fastify/swagger', '@fastify/swagger-ui'],
  // jsonc-parser's main entry is a UMD bundle whose require() calls esbuild cannot follow; its
  // ES module build (package.json "module") bundles cleanly.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // Dependencies written as ES modules (yargs) ask import.meta.url where they are: the bundle's URL.
  define: { MSM_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__msmModuleUrl' },
  banner: { js: "const __msmModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      name: 'precompiled-validators',
      setup(b) {
        b.onResolve({ filter: /compiledValidators\.js$/ }, () => ({ path: validators }));
      },
    },
    {
      // cliui's ES module entry wraps help text at a fixed column, splitting words and flags
      // ("registry.\nyaml", "-\n-rm"); its CommonJS entry wraps at word boundaries (wrap-ansi).
      name: 'cliui-word-wrap',
      setup(b) {
        b.onResolve({ filter: /^cliui$/ }, () => ({ path: path.join(root, 'node_modules/cliui/build/index.cjs') }));
      },
    },
    {
      name: 'dashboard-static-files',
      setup(b) {
        b.onResolve({ filter: /^\.\/staticFiles\.js$/ }, (args) => (args.importer.includes(path.join('server', 'dashboard')) ? { path: dashboardFiles } : undefined));
      },
    },
  ],
  logLevel: 'warning',
});
// The launcher compiles cli.cjs with vm.Script, where a real import() has no loader (see bin.ts):
// every import in it must have become a require(). The one left in the MCP SDK is its WebCrypto
// fallback, which runs only where globalThis.crypto is missing (never on Node 20).
const UNREACHABLE_IMPORTS = new Set(['import("node:crypto")']);
const dynamicImports = [...(await readFile(cli, 'utf8')).matchAll(/\bimport\((?:"[^"]*"|[^)]{0,40})\)/g)].map((m) => m[0]).filter((call) => !UNREACHABLE_IMPORTS.has(call));
if (dynamicImports.length > 0) {
  throw new Error(`dist/cli.cjs keeps dynamic import() calls the launcher cannot serve: ${dynamicImports.join(', ')}; import these statically (node built-ins) or bundle them`);
}
// The launcher names the code cache after the bundle it compiles: a new build never reads an old cache.
const buildHash = createHash('sha256').update(await readFile(cli)).digest('hex').slice(0, 16);
await build({
  entryPoints: [path.join(root, 'lib/entrypoint/cli/bin.ts')],
  outfile: path.join(dist, 'mcp.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  define: { MSM_VERSION: JSON.stringify(pkg.version), MSM_BUILD: JSON.stringify(buildHash) },
  logLevel: 'warning',
});
await rm(work, { recursive: true, force: true });
await chmod(path.join(root, 'dist/mcp.js'), 0o755);
