import { describe, expect, it } from 'vitest';
import { clusterManifest, scheduledBackupManifest } from '../../src/adapters/kubernetes/database-manifests.js';
import { CnpgSpecValidator } from '../support/cnpg-spec.js';
import { SPECS_PRESENT } from '../support/specs.js';

const apply = (body: unknown) =>
  ({
    method: 'PATCH',
    path: '/apis/postgresql.cnpg.io/v1/namespaces/projects/clusters/x',
    status: 200,
    requestContentType: 'application/apply-patch+yaml',
    requestBody: body,
  }) as never;
const backup = {
  destinationPath: 's3://b/p',
  endpointUrl: 'https://s3.test',
  credentialsSecret: 's',
  schedule: '0 0 3 * * *',
  retention: '30d',
};

describe.skipIf(!SPECS_PRESENT)('CloudNativePG objects against the published CRDs', () => {
  it('accepts the Cluster and ScheduledBackup the adapter sends, with and without backups', () => {
    const validator = new CnpgSpecValidator();
    for (const spec of [
      { project: 'web', size: '1Gi', version: 16, instances: 1, backup },
      { project: 'web', size: '1Gi', version: null, instances: 1, backup: null },
    ]) {
      validator.check(apply(clusterManifest(spec, 'projects')));
      const scheduled = scheduledBackupManifest(spec, 'projects');
      if (scheduled) validator.check(apply(scheduled));
    }
    expect(validator.violations).toEqual([]);
    expect(validator.appliedObjects).toBe(3);
  });

  it('fails a misspelt field, a wrong type and an unknown kind (so the check can fail)', () => {
    const validator = new CnpgSpecValidator();
    const cluster = clusterManifest(
      { project: 'web', size: '1Gi', version: null, instances: 1, backup: null },
      'projects',
    );
    const spec = cluster.spec as Record<string, unknown>;
    validator.check(apply({ ...cluster, spec: { ...spec, storge: { size: '1Gi' } } }));
    validator.check(apply({ ...cluster, spec: { ...spec, instances: 'one' } }));
    validator.check(apply({ ...cluster, kind: 'Pooler' }));
    expect(validator.violations.map((v) => v.errors)).toEqual([
      expect.stringContaining('/spec/storge'),
      expect.stringContaining('instances'),
      expect.stringContaining('no CloudNativePG CRD known for kind Pooler'),
    ]);
  });
});
