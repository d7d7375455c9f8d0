/** `docker info --format '{{json .ServerVersion}} {{json .SystemTime}}'` -> version and clock. */
export interface EngineFacts {
  version: string;
  /** The engine host's clock when it answered (RFC 3339). */
  systemTime: string;
}

export function parseEngineFacts(stdout: string): EngineFacts | undefined {
  const match = /^("(?:[^"\\]|\\.)*")\s+("(?:[^"\\]|\\.)*")\s*$/.exec(stdout.trim());
  if (!match) return undefined;
  const version = JSON.parse(match[1] ?? '""') as string;
  const systemTime = JSON.parse(match[2] ?? '""') as string;
  return version && !Number.isNaN(Date.parse(systemTime)) ? { version, systemTime } : undefined;
}
