/**
 * The committed docs/openapi.json is a valid OpenAPI 3.1 document and is exactly what the built
 * service serves: a route or schema change without `npm run openapi` fails here (and so in CI).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROOT, Sandbox } from '../harness.js';
import { startService, type Service } from './serviceHarness.js';

let sandbox: Sandbox;
let service: Service;
let served: Record<string, unknown>;

beforeAll(async () => {
  sandbox = await Sandbox.create();
  service = await startService(sandbox);
  const response = await fetch(`${service.url}/openapi.json`);
  expect(response.status).toBe(200);
  served = (await response.json()) as Record<string, unknown>;
});

afterAll(async () => {
  await service?.stop();
  await sandbox?.dispose();
});

it('docs/openapi.json is what the service serves (run `npm run openapi` after changing the API)', async () => {
  const committed = JSON.parse(await fs.readFile(path.join(ROOT, 'docs/openapi.json'), 'utf8')) as unknown;
  expect(committed).toEqual(served);
  const printed = await sandbox.mcp(['serve', '--openapi']);
  expect(printed.exitCode).toBe(0);
  expect(JSON.parse(printed.stdout)).toEqual(served);
});

it('is a valid OpenAPI 3.1 document', async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(served));
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
});

it('a broken document is caught by the validator (the check above can fail)', async () => {
  const broken = structuredClone(served) as { paths: Record<string, Record<string, Record<string, unknown>>> };
  (broken.paths['/api/v1/servers'] as Record<string, Record<string, unknown>>).get = { responses: 'none' };
  const result = await new Validator().validate(broken);
  expect(result.valid).toBe(false);
});

it('declares the bearer scheme for every route but the health check, and names the models', () => {
  const doc = served as { components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> }; security: unknown; paths: Record<string, Record<string, { security?: unknown }>> };
  expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  expect(doc.security).toEqual([{ bearer: [] }]);
  for (const [route, methods] of Object.entries(doc.paths)) {
    for (const operation of Object.values(methods)) {
      if (route === '/healthz') expect(operation.security).toEqual([]);
      else expect(operation.security).toBeUndefined();
    }
  }
  for (const model of ['ServerData', 'ServerConfig', 'ServerStatusDetail', 'TargetResult', 'Error', 'HealthResult']) expect(doc.components.schemas[model]).toBeDefined();
});

it('serves the interactive docs page and its assets from the package, without a token', async () => {
  const page = await fetch(`${service.url}/docs`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('swagger');
  expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[^"']*\.(js|css)/);
  const script = await fetch(`${service.url}/docs/static/swagger-ui-bundle.js`);
  expect(script.status).toBe(200);
  expect((await script.text()).length).toBeGreaterThan(100_000);
});
