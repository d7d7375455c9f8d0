#!/usr/bin/env node
/**
 * The `mcp` executable (dist/mcp.js). The command line itself is one CommonJS file, dist/cli.cjs,
 * and this launcher compiles it through V8's code cache: most of a short command's start-up is
 * V8 compiling the same JavaScript again (yargs, execa, yaml and ours), and a cached compile is a
 * fraction of that. Node 22 has this built in (module.enableCompileCache); Node 20, which we
 * support, has no compile cache for ES modules and none switched on for CommonJS, so the launcher
 * does what v8-compile-cache did for require(), for the one file, with a safer place to keep it.
 *
 * The cache is a plain optimisation: written after a command that exited 0 when there was none
 * (or V8 refused it: another Node, other flags), in the user's cache directory
 * ($XDG_CACHE_HOME/msm, else ~/.cache/msm; directory 0700, file 0600), named after this build,
 * Node's version, the CPU and the command. One per command, because a cache holds the functions
 * that the run which wrote it compiled: `add`'s would leave `list` compiling its own every time. It is used only when it belongs to this user and no one else can
 * write it. MSM_CACHE=off turns it off; MSM_CACHE=<dir> puts it elsewhere (paths.ts, cacheDirFor).
 * Nothing here prints: when the cache cannot be read or written, mcp simply compiles as before.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { isOwnPrivateFile } from '../../data/fileFacts.js';
import { cacheDirFor } from '../../data/paths.js';
import { packageVersion } from './version.js';

/** Set by the build: a hash of dist/cli.cjs, which names its cache. */
declare const MSM_BUILD: string;

interface Cli {
  run(argv: string[]): Promise<void>;
}

const argv = process.argv.slice(2);

// `mcp log s | head -1`: the reader went away; that is the reader's choice, not a failure to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  await loadCli(fileURLToPath(new URL('./cli.cjs', import.meta.url))).run(argv);
}

function loadCli(file: string): Cli {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = compileCacheFile();
  const cachedData = cacheFile ? readOwnFile(cacheFile) : undefined;
  // CommonJS's own wrapper, on a line of its own so that stack traces keep the file's line numbers.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, {
    filename: file,
    lineOffset: -1,
    ...(cachedData ? { cachedData } : {}),
    // No importModuleDynamically: on Node 20 it is experimental (a warning on stderr), and code
    // compiled from the cache loses it. The build refuses a bundle that would need it.
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // After the command, so that the functions it compiled on the way are in the cache too.
    process.once('exit', (code) => {
      if (code === 0) saveCache(cacheFile, script);
    });
  }
  const module = { exports: {} as Cli };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** The cache's name for a command: its first word when that looks like one (a typo exits 2 and writes nothing). */
function commandKey(): string {
  const first = argv[0] ?? '';
  return /^[a-z][a-z-]{0,23}$/.test(first) ? first : 'mcp';
}

function compileCacheFile(): string | undefined {
  const dir = cacheDirFor(process.env);
  return dir && path.join(dir, `cli-${MSM_BUILD}-${process.version}-${process.arch}-${commandKey()}.v8`);
}

/** The file's bytes when it is this user's and only theirs to write; else undefined. */
function readOwnFile(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const stat = fs.fstatSync(fd);
    if (!isOwnPrivateFile(stat)) return undefined;
    return fs.readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Write the cache whole (a temporary file renamed over it) and drop other builds' caches. */
function saveCache(file: string, script: vm.Script): void {
  const dir = path.dirname(file);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temporary, file);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith('cli-') && name.endsWith('.v8') && !name.startsWith(`cli-${MSM_BUILD}-`)) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}
