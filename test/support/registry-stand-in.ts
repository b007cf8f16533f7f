/**
 * Serves the OCI registry stand-in with every exchange held to the OCI distribution-spec rules
 * (registry-rules.ts, through the shared spec check).
 */
import { createRegistryApp } from '../../src/sandbox/registry/registry-app.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { createSpecCheck, type SpecCheck } from './spec-check.js';

export interface CheckedRegistry extends ServedStandIn {
  spec: SpecCheck;
}

export async function startCheckedRegistry(
  options?: Parameters<typeof createRegistryApp>[0],
): Promise<CheckedRegistry> {
  const spec = createSpecCheck('registry');
  const served = await serveStandIn(createRegistryApp(options), { observer: spec.observe });
  return Object.assign(served, { spec });
}
