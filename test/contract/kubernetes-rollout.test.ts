/**
 * Rollout verdicts against the Kubernetes stand-in as a witness of kubelet + containerd (k3s):
 * containers report `image` as the image's first tag or `sha256:<config digest>` and `imageID` as
 * `repo@sha256:<manifest digest>`, never the pinned reference of the pod spec, and the Deployment
 * controller keeps one ReplicaSet per pod template. The adapter must tell new pods from old the
 * way the controller does (the newest ReplicaSet), so a rollout succeeds, a crash loop of the new
 * template fails it, and old pods of the same image do not.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { assessRollout, type RolloutVerdict } from '../../src/services/deploy/assess-rollout.js';
import type { DeploySpec } from '../../src/ports/deployer.port.js';
import { eventually } from '../support/eventually.js';
import { fieldAt, startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { tempDir } from '../support/test-app.js';

describe('Kubernetes rollout verdicts (stand-in reporting as kubelet + containerd)', () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  let host: string;
  const pinned: Record<string, string> = {};
  const deployer = () =>
    new KubernetesDeployer({
      kubeconfig: cluster.kubeconfig,
      namespace: 'projects',
      ingressClass: 'traefik',
      tlsIssuer: 'le',
      tlsIssuerKind: 'Issuer',
      tlsSecret: undefined,
      resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
    });
  const spec = (project: string, image: string, env: Record<string, string> = {}): DeploySpec => ({
    project,
    image,
    port: 3000,
    replicas: 1,
    env,
    secrets: {},
    hosts: [`${project}.example.test`],
  });
  const verdict = async (project: string, image: string): Promise<RolloutVerdict> =>
    assessRollout(await deployer().status(project), image, 1);
  const settled = (project: string, image: string, timeoutMs = 10_000) =>
    eventually(async () => {
      const v = await verdict(project, image);
      expect(v.state).not.toBe('in_progress');
      return v;
    }, timeoutMs);

  beforeAll(async () => {
    registry = await startCheckedRegistry();
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 50,
      tickMs: 20,
    });
    host = registry.url.replace('http://', '');
    for (const tag of ['v1', 'v2'])
      pinned[tag] = `${host}/threesix/roll@${await pushImage(registry.url, 'threesix/roll', tag)}`;
  });
  afterAll(async () => {
    await cluster?.stop();
    await registry?.close();
  });
  afterEach(() => expect([...cluster.spec.takeViolations(), ...registry.spec.takeViolations()]).toEqual([]));

  it('succeeds although the runtime reports the image by its ID, not by the pinned reference', async () => {
    await deployer().apply(spec('plain', pinned.v1!));
    expect(await settled('plain', pinned.v1!)).toEqual({ state: 'succeeded' });
    // What made the old check wait forever: the container status never names the pinned reference.
    const [pod] = cluster.store.list(RESOURCES.pods, 'projects', { 'threesix.ai/project': 'plain' });
    const container = pod!.status?.containerStatuses?.[0];
    expect(container?.image).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(container?.image).not.toBe(pinned.v1);
    expect(container?.imageID).toBe(pinned.v1);
    await deployer().remove('plain');
  });

  it('fails on a crash loop of the new template while the old pod keeps serving', async () => {
    await deployer().apply(spec('crashy', pinned.v1!));
    expect(await settled('crashy', pinned.v1!)).toEqual({ state: 'succeeded' });
    cluster.setCrashLoop('crashy', true);
    await deployer().apply(spec('crashy', pinned.v2!));
    expect(await settled('crashy', pinned.v2!)).toMatchObject({ state: 'failed', reason: 'CrashLoopBackOff' });
    const pods = (await deployer().status('crashy')).pods;
    expect(pods.filter((p) => p.current).map((p) => p.reason)).toEqual(['CrashLoopBackOff']);
    expect(pods.filter((p) => !p.current).map((p) => p.ready)).toEqual([true]);
    cluster.setCrashLoop('crashy', false);
    await deployer().remove('crashy');
  });

  it('does not blame the fix for the old pods of the same image that still crash', async () => {
    cluster.setCrashLoop('fixme', true);
    await deployer().apply(spec('fixme', pinned.v1!, { MODE: 'broken' }));
    expect(await settled('fixme', pinned.v1!)).toMatchObject({ state: 'failed', reason: 'CrashLoopBackOff' });
    cluster.setCrashLoop('fixme', false);
    // Same image, new template (the env fix): the crash-looping pods belong to the old ReplicaSet.
    await deployer().apply(spec('fixme', pinned.v1!, { MODE: 'fixed' }));
    const seen: string[] = [];
    await eventually(async () => {
      const v = await verdict('fixme', pinned.v1!);
      seen.push(v.state);
      expect(v.state).toBe('succeeded');
    }, 10_000);
    expect(seen).not.toContain('failed');
    await deployer().remove('fixme');
  });

  it('does not fail the deploy after a timed-out one on the ProgressDeadlineExceeded the controller has not re-evaluated', async () => {
    const missing = `${host}/threesix/roll@sha256:${'0'.repeat(64)}`;
    await deployer().apply(spec('late', missing));
    // The manifests' deadline is minutes; the test shortens it, as an operator could with kubectl.
    cluster.store.mergePatch(
      RESOURCES.deployments,
      'projects',
      'late',
      { spec: { progressDeadlineSeconds: 1 } },
      'kubectl',
    );
    await eventually(
      async () =>
        expect((await deployer().status('late')).conditions).toContainEqual(
          expect.objectContaining({ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }),
        ),
      10_000,
    );
    // The fix is applied; until the controller syncs, the status still describes the timed-out rollout.
    cluster.holdController(true);
    try {
      await deployer().apply(spec('late', pinned.v1!));
      const stale = await deployer().status('late');
      expect(stale.observedGeneration).toBeLessThan(stale.generation);
      expect(stale.conditions).toContainEqual(expect.objectContaining({ reason: 'ProgressDeadlineExceeded' }));
      expect(assessRollout(stale, pinned.v1!, 1)).toEqual({ state: 'in_progress', ready: 0, desired: 1 });
    } finally {
      cluster.holdController(false);
    }
    expect(await settled('late', pinned.v1!)).toEqual({ state: 'succeeded' });
    await deployer().remove('late');
  });

  it('keeps a ReplicaSet per template, with revisions, hash labels and owner references as the controller sets them', async () => {
    const rsOf = () => cluster.store.list(RESOURCES.replicasets, 'projects', { 'threesix.ai/project': 'revs' });
    const deployment = () => cluster.store.get(RESOURCES.deployments, 'projects', 'revs');
    await deployer().apply(spec('revs', pinned.v1!));
    expect(await settled('revs', pinned.v1!)).toEqual({ state: 'succeeded' });
    const [first] = rsOf();
    const hash = first!.metadata.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(first!.metadata.name).toBe(`revs-${hash}`);
    expect(first!.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'revs', uid: deployment().metadata.uid, controller: true }),
    ]);
    expect(fieldAt(first, 'spec', 'selector', 'matchLabels', 'pod-template-hash')).toBe(hash);
    expect(first!.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const [pod] = cluster.store.list(RESOURCES.pods, 'projects', { 'threesix.ai/project': 'revs' });
    expect(pod!.metadata.labels?.['pod-template-hash']).toBe(hash);
    expect(pod!.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'ReplicaSet',
        name: first!.metadata.name,
        uid: first!.metadata.uid,
        controller: true,
      }),
    ]);

    await deployer().apply(spec('revs', pinned.v2!));
    expect(await settled('revs', pinned.v2!)).toEqual({ state: 'succeeded' });
    expect(deployment().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(rsOf().find((rs) => rs.metadata.uid === first!.metadata.uid)!.spec.replicas).toBe(0);

    // Back to the first template: its ReplicaSet is reused under a new revision, as a rollback is.
    await deployer().apply(spec('revs', pinned.v1!));
    expect(await settled('revs', pinned.v1!)).toEqual({ state: 'succeeded' });
    expect(rsOf()).toHaveLength(2);
    expect(
      rsOf().find((rs) => rs.metadata.uid === first!.metadata.uid)!.metadata.annotations?.[
        'deployment.kubernetes.io/revision'
      ],
    ).toBe('3');
    expect(deployment().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    await deployer().remove('revs');
    await eventually(() => expect(rsOf()).toEqual([]), 2000);
  });

  it('reports a tag pull by its tag, and the same image pulled by digest then shows that first tag', async () => {
    await deployer().apply(spec('tagged', `${host}/threesix/roll:v2`));
    expect(await settled('tagged', `${host}/threesix/roll:v2`)).toEqual({ state: 'succeeded' });
    const status = (project: string) =>
      cluster.store.list(RESOURCES.pods, 'projects', { 'threesix.ai/project': project })[0]!.status
        ?.containerStatuses?.[0];
    expect(status('tagged')).toMatchObject({ image: `${host}/threesix/roll:v2`, imageID: pinned.v2 });
    await deployer().apply(spec('bydigest', pinned.v2!));
    expect(await settled('bydigest', pinned.v2!)).toEqual({ state: 'succeeded' });
    expect(status('bydigest')).toMatchObject({ image: `${host}/threesix/roll:v2`, imageID: pinned.v2 });
    await deployer().remove('tagged');
    await deployer().remove('bydigest');
  });
});
