import { contentTypeOf, etagMatches, prepareAssets, strongEtag } from '../../../../../lib/entrypoint/server/dashboard/assets.js';
import { readStaticFiles } from '../../../../../lib/entrypoint/server/dashboard/staticFiles.js';

describe('dashboard assets', () => {
  it('a strong ETag is a quoted hash of the bytes', () => {
    const etag = strongEtag(Buffer.from('a'));
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag(Buffer.from('a'))).toBe(etag);
    expect(strongEtag(Buffer.from('b'))).not.toBe(etag);
  });

  it('If-None-Match: the tag, one of a list, its weak form, or *', () => {
    const etag = '"abc"';
    expect(etagMatches(undefined, etag)).toBe(false);
    expect(etagMatches('"abc"', etag)).toBe(true);
    expect(etagMatches('"x", W/"abc"', etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"abcd"', etag)).toBe(false);
  });

  it('types by extension; a file of another kind is refused', () => {
    expect(contentTypeOf('main.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('README')).toBeUndefined();
    expect(() => prepareAssets({ 'notes.txt': 'x' })).toThrow(/notes\.txt/);
  });
});

describe('the page and its modules', () => {
  let files: Record<string, string>;

  beforeAll(async () => {
    files = await readStaticFiles();
  });

  it('every file the page and its modules load is in the package, and all are servable', () => {
    expect(() => prepareAssets(files)).not.toThrow();
    const page = files['index.html'] as string;
    const referenced = [...page.matchAll(/(?:src|href)="\/dashboard\/([^"]+)"/g)].map((m) => m[1]);
    for (const [name, text] of Object.entries(files)) {
      if (name.endsWith('.js')) referenced.push(...[...text.matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1]));
    }
    expect(referenced.length).toBeGreaterThan(10);
    for (const name of referenced) expect(Object.keys(files)).toContain(name);
  });

  it('needs nothing the Content-Security-Policy forbids: no inline script, style or handler', () => {
    const page = files['index.html'] as string;
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style/);
    expect(page).not.toMatch(/\sstyle=/);
    expect(page).not.toMatch(/\son[a-z]+=/);
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('scripts never turn text into markup or code, and call only the same origin', () => {
    for (const [name, text] of Object.entries(files)) {
      if (!name.endsWith('.js')) continue;
      for (const forbidden of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\(/, /new Function\(/, /\.style\.|setAttribute\('style'/, /https?:\/\/(?!www\.w3\.org\/2000\/svg')/]) {
        expect({ file: name, forbidden: String(forbidden), found: forbidden.test(text) }).toEqual({ file: name, forbidden: String(forbidden), found: false });
      }
    }
  });
});
