/** The docker client's own version (`docker --version`), which needs no engine. */

export function buildClientVersion(): string[] {
  return ['--version'];
}

/** "Docker version 26.1.5+dfsg1, build a72d7cd" -> "26.1.5+dfsg1"; anything else -> undefined. */
export function parseClientVersion(stdout: string): string | undefined {
  return /^Docker version ([^\s,]+)/m.exec(stdout)?.[1];
}
