/**
 * Validators compiled at run time. This is what tests and `tsc` see; the build (scripts/build.mjs)
 * swaps this module for ajv "standalone" code generated from the same schemas and options, so the
 * CLI does not compile schemas on every start (~70 ms).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { AJV_OPTIONS, VALIDATED_SCHEMAS, type ValidatorName } from './validatorSet.js';

let ajv: Ajv | undefined;
const cache = new Map<ValidatorName, ValidateFunction>();

export function getValidator(name: ValidatorName): ValidateFunction {
  let validate = cache.get(name);
  if (!validate) {
    ajv ??= new Ajv(AJV_OPTIONS);
    validate = ajv.compile(VALIDATED_SCHEMAS[name]);
    cache.set(name, validate);
  }
  return validate;
}
