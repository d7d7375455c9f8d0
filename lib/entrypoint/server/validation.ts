/**
 * How fastify validates requests. Bodies are JSON and must already have the right types:
 * `{"port": "80"}` is refused, not coerced, and unknown fields are refused, not dropped (fastify's
 * default ajv does both). Query strings and path parameters are text, so those are coerced.
 */
import { Ajv, type Options } from 'ajv';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MODEL_SCHEMAS } from './apiSchemas.js';

const COMMON: Options = { allErrors: false, strict: false, removeAdditional: false, useDefaults: true };

export function installValidation(app: FastifyInstance): void {
  const body = new Ajv({ ...COMMON, coerceTypes: false });
  const text = new Ajv({ ...COMMON, coerceTypes: 'array' });
  for (const schema of MODEL_SCHEMAS) {
    app.addSchema(schema);
    body.addSchema(schema);
    text.addSchema(schema);
  }
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
}

/**
 * For routes whose body is optional (`POST /servers/x/start` with nothing to say): no body reads
 * as `{}`, so the schema still checks any body that is sent.
 */
export async function optionalBody(request: FastifyRequest): Promise<void> {
  if (request.body === undefined) request.body = {};
}
