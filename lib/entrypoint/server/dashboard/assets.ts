/**
 * The dashboard's files as HTTP answers: a content type by extension and a strong ETag (a hash of
 * the bytes), so a browser revalidates each file cheaply (304) and never runs a stale script after
 * an upgrade. Only names known here are served: a request cannot reach any other file.
 */
import { createHash } from 'node:crypto';

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export function contentTypeOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : CONTENT_TYPES[name.slice(dot)];
}

export function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Files of a type the dashboard serves; anything else in the folder is refused loudly. */
export function prepareAssets(files: Record<string, string>): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const [name, text] of Object.entries(files)) {
    const contentType = contentTypeOf(name);
    if (!contentType) throw new Error(`dashboard asset ${name}: no content type for its extension`);
    const body = Buffer.from(text, 'utf8');
    assets.set(name, { body, contentType, etag: strongEtag(body) });
  }
  return assets;
}

/**
 * Whether an If-None-Match header names this ETag (RFC 9110 13.1.2: weak comparison, so a `W/`
 * form of the same tag matches; `*` matches any current representation).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
