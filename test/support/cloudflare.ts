/**
 * Starts the Cloudflare stand-in with every exchange checked against the official
 * dns-records.openapi.json. One documented exception: the spec's `4XX` schema for the dns_records
 * operations is allOf(success envelope with `success: [true]`, failure envelope with
 * `success: [false]`), which nothing can satisfy (upstream defect, schema 2024-08-06); error
 * responses there are checked against `dns-records_api-response-common-failure` alone. And the
 * request bodies use `dns-records_dns-record`, whose `required` lists the readOnly fields id,
 * proxiable, created_on, modified_on; OpenAPI 3.0 says readOnly+required binds responses only, so
 * those four missing from a request are not violations.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { Exchange } from '../../src/sandbox/exchange.js';
import { startCloudflareStandIn, type CloudflareStandInOptions, type RunningCloudflareStandIn } from '../../src/sandbox/cloudflare/cloudflare-stand-in.js';
import { SpecValidator, type SpecViolation } from './openapi.js';
import { loadSpec, SPECS_PRESENT } from './specs.js';

const SPEC = 'cloudflare/dns-records.openapi.json';

export interface CheckedCloudflare extends RunningCloudflareStandIn {
  /** Spec violations so far (always empty when the specs are absent). */
  violations: SpecViolation[];
  exchanges: Exchange[];
}

export async function startCheckedCloudflare(options: CloudflareStandInOptions): Promise<CheckedCloudflare> {
  const violations: SpecViolation[] = [];
  const exchanges: Exchange[] = [];
  let observer: ((ex: Exchange) => void) | undefined = (ex: Exchange) => void exchanges.push(ex);
  if (SPECS_PRESENT) {
    const validator = new SpecValidator(SPEC, { basePath: '/client/v4' });
    const failure = failureValidator();
    observer = ex => {
      exchanges.push(ex);
      if (ex.status >= 400 && ex.path.includes('/dns_records')) {
        validator.check({ ...ex, responseBody: undefined });
        if (ex.responseBody !== undefined && !failure(ex.responseBody)) {
          violations.push({ exchange: `${ex.method} ${ex.path} -> ${ex.status}`, where: 'response', errors: JSON.stringify(failure.errors) });
        }
      } else validator.check(ex);
      violations.push(...validator.violations.splice(0).flatMap(dropReadOnlyRequired));
    };
  }
  const running = await startCloudflareStandIn({ ...options, observer });
  return Object.assign(running, { violations, exchanges });
}

const READ_ONLY_MISSING = /^data must have required property '(id|proxiable|created_on|modified_on)'$/;

function dropReadOnlyRequired(v: SpecViolation): SpecViolation[] {
  if (v.where !== 'request') return [v];
  const rest = v.errors.split('; ').filter(e => !READ_ONLY_MISSING.test(e));
  return rest.length ? [{ ...v, errors: rest.join('; ') }] : [];
}

function failureValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addSchema(loadSpec(SPEC), 'spec');
  return ajv.compile({ $ref: 'spec#/components/schemas/dns-records_api-response-common-failure' });
}
