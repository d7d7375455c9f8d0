// Builds the `mcp` executable: esbuild bundles lib/entrypoint/cli/bin.ts and its dependencies
// into dist/ as ES modules, split so that lazily imported parts (a command's implementation,
// listr2, ssh) load only when used. One file to read instead of hundreds halves start-up time.
// Type checking is `npm run typecheck` (tsc --noEmit); esbuild only strips types.
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { mcp: 'lib/entrypoint/cli/bin.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // ssh2 carries optional native addons that cannot be bundled; it loads from node_modules, and
  // only when a remote host is used.
  external: ['node-ssh', 'ssh2', 'cpu-features'],
  define: { MSM_VERSION: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and use require() and __filename; give every ES module chunk them.
  banner: {
    js: [
      "import { createRequire as __msmCreateRequire } from 'node:module';",
      "import { fileURLToPath as __msmFileURLToPath } from 'node:url';",
      'const require = __msmCreateRequire(import.meta.url);',
      'const __filename = __msmFileURLToPath(import.meta.url);',
    ].join(' '),
  },
  logLevel: 'warning',
});
await chmod(new URL('../dist/mcp.js', import.meta.url), 0o755);
