/**
 * The Deployer port's volume half (ProjectVolumes) on the memory deployer and on the Kubernetes
 * adapter against the spec-checked stand-in: claims applied, listed and removed by mount path, the
 * one-pod rule, a claim someone else made never touched; on Kubernetes also what the claims add to
 * the Deployment (volumes, mounts, the Recreate strategy) and how k3s's local-path class binds them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import type { Deployer } from '../../src/ports/deployer.port.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { eventually } from '../support/eventually.js';
import { fieldAt, startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { tempDir } from '../support/test-app.js';

const IMAGE = 'registry.test/threesix/app@sha256:' + 'c'.repeat(64);
const app = (project: string, replicas = 1) => ({
  project,
  image: IMAGE,
  port: 8080,
  replicas,
  env: {},
  hosts: [`${project}.example.test`],
});

function describeVolumeContract(
  label: string,
  setup: () => Promise<{ deployer: Deployer; makeForeignClaim(project: string, path: string): Promise<void> }>,
) {
  describe(`Project volumes contract: ${label}`, () => {
    it('applies a claim per path, lists it, keeps the project at one pod, and removes it', async () => {
      const { deployer } = await setup();
      const v = await deployer.applyVolume({ project: 'vols', path: '/data', size: '1Gi', storageClass: null });
      expect(v).toMatchObject({
        path: '/data',
        size: '1Gi',
        claim: expect.stringMatching(/^vols-vol-[0-9a-f]{8}$/) as unknown,
      });
      await deployer.applyVolume({ project: 'vols', path: '/data', size: '1Gi', storageClass: null });
      expect((await deployer.listVolumes('vols')).map((x) => x.path)).toEqual(['/data']);
      await deployer.apply(app('vols'));
      await expect(deployer.apply(app('vols', 2))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(deployer.scale('vols', 2)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await deployer.removeVolume('vols', '/data')).toEqual({ removed: [`PersistentVolumeClaim/${v.claim}`] });
      expect(await deployer.removeVolume('vols', '/data')).toEqual({ removed: [] });
      expect(await deployer.listVolumes('vols')).toEqual([]);
      await deployer.apply(app('vols', 2));
      await deployer.remove('vols');
    });

    it('never changes or deletes a claim it did not make', async () => {
      const fx = await setup();
      await fx.makeForeignClaim('theirs', '/data');
      await expect(
        fx.deployer.applyVolume({ project: 'theirs', path: '/data', size: '1Gi', storageClass: null }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await fx.deployer.removeVolume('theirs', '/data')).toEqual({ removed: [] });
      expect(await fx.deployer.listVolumes('theirs')).toEqual([]);
    });
  });
}

describeVolumeContract('memory', () => {
  const deployer = new MemoryDeployer();
  return Promise.resolve({
    deployer,
    makeForeignClaim: (project: string, path: string) => Promise.resolve(deployer.volumes.addForeign(project, path)),
  });
});

describe('Kubernetes adapter + stand-in: PersistentVolumeClaims (spec-validated)', () => {
  let cluster: CheckedKubernetes;
  let deployer: KubernetesDeployer;
  beforeAll(async () => {
    cluster = await startCheckedKubernetes({ dataDir: tempDir(), startDelayMs: 50, tickMs: 25, postgres: null });
    deployer = new KubernetesDeployer({
      kubeconfig: cluster.kubeconfig,
      namespace: 'projects',
      ingressClass: 'traefik',
      tlsIssuer: 'le',
      tlsIssuerKind: 'Issuer',
      tlsSecret: undefined,
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
    });
  });
  afterAll(async () => cluster?.stop());
  afterEach(() => expect(cluster.spec.takeViolations()).toEqual([]));

  describeVolumeContract('Kubernetes adapter + stand-in', () =>
    Promise.resolve({
      deployer,
      makeForeignClaim: async (project, path) => {
        const name = (await import('../../src/adapters/kubernetes/volume-manifests.js')).volumeClaimName(project, path);
        cluster.store.create(RESOURCES.persistentvolumeclaims, 'projects', {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name, labels: { team: 'data' } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
        });
      },
    }),
  );

  it('mounts each claim into the app with the Recreate strategy, binds it once a pod uses it, and goes back to rolling updates without volumes', async () => {
    const deployment = () => cluster.store.get(RESOURCES.deployments, 'projects', 'mounted');
    await deployer.apply(app('mounted'));
    expect(fieldAt(deployment(), 'spec', 'strategy')).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    const v = await deployer.applyVolume({
      project: 'mounted',
      path: '/var/lib/app',
      size: '2Gi',
      storageClass: 'local-path',
    });
    expect((await deployer.listVolumes('mounted'))[0]).toMatchObject({ phase: 'Pending' });
    expect(cluster.store.get(RESOURCES.persistentvolumeclaims, 'projects', v.claim).spec).toMatchObject({
      storageClassName: 'local-path',
      accessModes: ['ReadWriteOnce'],
    });
    await deployer.apply(app('mounted'));
    expect(fieldAt(deployment(), 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    const pod = deployment().spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: v.claim.replace(/^.*-vol-/, 'vol-'), persistentVolumeClaim: { claimName: v.claim } },
    ]);
    expect(fieldAt(pod.containers[0], 'volumeMounts')).toEqual([
      { name: v.claim.replace(/^.*-vol-/, 'vol-'), mountPath: '/var/lib/app' },
    ]);
    await eventually(
      async () => expect((await deployer.listVolumes('mounted'))[0]).toMatchObject({ phase: 'Bound' }),
      5000,
    );
    await deployer.removeVolume('mounted', '/var/lib/app');
    await deployer.apply(app('mounted'));
    expect(fieldAt(deployment(), 'spec', 'strategy')).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(deployment().spec.template.spec.volumes).toBeUndefined();
    await deployer.remove('mounted');
  });
});
