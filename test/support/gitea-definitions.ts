/**
 * Validates a value against one definition of Gitea's swagger, for what is not an API exchange
 * (webhook payloads are built from the same definitions). Empty when the specs are absent.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { loadSpec, SPECS_PRESENT } from './specs.js';

const addFormats = formatsPlugin as unknown as (ajv: Ajv) => void;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

export function giteaDefinitionErrors(definition: string, value: unknown): string[] {
  if (!SPECS_PRESENT) return [];
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(ajv);
    for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'binary', 'password'])
      ajv.addFormat(format, true);
    ajv.addSchema(loadSpec('gitea/swagger.v1.json'), 'gitea');
  }
  const validate = compiled.get(definition) ?? ajv.compile({ $ref: `gitea#/definitions/${definition}` });
  compiled.set(definition, validate);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${definition}${e.instancePath} ${e.message}`);
}
