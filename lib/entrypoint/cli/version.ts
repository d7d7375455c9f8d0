/** The package version: set at build time by esbuild's define; read from package.json otherwise. */
import { readFileSync } from 'node:fs';

declare const MSM_VERSION: string | undefined;

export function packageVersion(): string {
  if (typeof MSM_VERSION === 'string') return MSM_VERSION;
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
