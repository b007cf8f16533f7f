/**
 * The Kubernetes stand-in refuses what the API server refuses, before storing anything: names that
 * are not DNS names (422 Invalid, apimachinery validation.go) and writes made against a stale
 * resourceVersion (409 Conflict, the generic registry's optimistic lock). Raw HTTP, so the bodies
 * are the ones a client sees; every exchange is also checked against the OpenAPI documents.
 */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { tempDir } from '../support/test-app.js';

describe('Kubernetes stand-in: name validation and resourceVersion conflicts', () => {
  let cluster: CheckedKubernetes;
  let token: string;
  const call = (method: string, path: string, body: unknown, contentType = 'application/json') =>
    fetch(`${cluster.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
      body: JSON.stringify(body),
    });
  const apply = (path: string, body: unknown) =>
    call('PATCH', `${path}?fieldManager=test`, body, 'application/apply-patch+yaml');
  const deployment = (name: string, image = 'nginx:1') => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: 'x' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image }] } },
    },
  });
  const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

  beforeAll(async () => {
    cluster = await startCheckedKubernetes({ dataDir: tempDir(), startDelayMs: 50, tickMs: 20 });
    token = (JSON.parse(readFileSync(cluster.kubeconfig, 'utf8')) as { users: Array<{ user: { token: string } }> })
      .users[0]!.user.token;
  });
  afterAll(async () => cluster?.stop());
  afterEach(() => expect(cluster.spec.takeViolations()).toEqual([]));

  it('answers a Deployment name that is not a DNS subdomain with 422 Invalid and stores nothing', async () => {
    const response = await apply(`${DEPLOYMENTS}/Bad_Name`, deployment('Bad_Name'));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Invalid',
      code: 422,
      message: expect.stringMatching(
        /^Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
      ) as unknown,
      details: {
        name: 'Bad_Name',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
      },
    });
    expect(cluster.store.find(RESOURCES.deployments, 'default', 'Bad_Name')).toBeUndefined();
  });

  it('holds Services to DNS-1035 labels: a leading digit or 64 characters are refused, as for a real Service', async () => {
    const service = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ port: 80 }] },
    });
    const digit = await apply('/api/v1/namespaces/default/services/1web', service('1web'));
    expect(digit.status).toBe(422);
    expect(((await digit.json()) as { message: string }).message).toContain(
      'a DNS-1035 label must consist of lower case alphanumeric characters',
    );
    const long = 'a'.repeat(64);
    const tooLong = await apply(`/api/v1/namespaces/default/services/${long}`, service(long));
    expect(((await tooLong.json()) as { message: string }).message).toContain('must be no more than 63 characters');
    expect(cluster.store.list(RESOURCES.services, 'default')).toEqual([]);
    // The same leading digit is a valid subdomain, so a Deployment may carry it.
    expect((await apply(`${DEPLOYMENTS}/1web`, deployment('1web'))).status).toBe(201);
  });

  it('refuses a merge patch, a replace and an apply made against an outdated resourceVersion with 409 Conflict', async () => {
    const created = (await (await apply(`${DEPLOYMENTS}/locked`, deployment('locked'))).json()) as {
      metadata: { resourceVersion: string };
    };
    const stale = created.metadata.resourceVersion;
    expect(
      (await call('PATCH', `${DEPLOYMENTS}/locked`, { spec: { replicas: 1 } }, 'application/merge-patch+json')).status,
    ).toBe(200);
    const conflictBody = {
      kind: 'Status',
      reason: 'Conflict',
      code: 409,
      message:
        'Operation cannot be fulfilled on deployments.apps "locked": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'locked', group: 'apps', kind: 'deployments' },
    };
    const patch = await call(
      'PATCH',
      `${DEPLOYMENTS}/locked`,
      { metadata: { resourceVersion: stale }, spec: { replicas: 3 } },
      'application/merge-patch+json',
    );
    expect(patch.status).toBe(409);
    expect(await patch.json()).toMatchObject(conflictBody);
    const replaced = {
      ...deployment('locked', 'nginx:2'),
      metadata: { name: 'locked', labels: { app: 'x' }, resourceVersion: stale },
    };
    const put = await call('PUT', `${DEPLOYMENTS}/locked`, replaced);
    expect(put.status).toBe(409);
    expect(await put.json()).toMatchObject(conflictBody);
    const applied = await apply(`${DEPLOYMENTS}/locked`, {
      ...deployment('locked', 'nginx:3'),
      metadata: { name: 'locked', resourceVersion: stale },
    });
    expect(applied.status).toBe(409);
    const kept = cluster.store.get(RESOURCES.deployments, 'default', 'locked');
    expect(kept.spec.replicas).toBe(1);
    expect(kept.spec.template.spec.containers[0]?.image).toBe('nginx:1');

    // With the current resourceVersion the replace goes through, bumps the generation and keeps status.
    // The controller is held so its own status write cannot move the version between read and PUT
    // (that would be a real, correct 409: the race this test must not depend on).
    cluster.holdController(true);
    let after;
    try {
      const current = cluster.store.get(RESOURCES.deployments, 'default', 'locked').metadata.resourceVersion;
      const ok = await call('PUT', `${DEPLOYMENTS}/locked`, {
        ...replaced,
        metadata: { ...replaced.metadata, resourceVersion: current },
      });
      expect(ok.status).toBe(200);
      after = cluster.store.get(RESOURCES.deployments, 'default', 'locked');
      expect(after.metadata.resourceVersion).not.toBe(current);
    } finally {
      cluster.holdController(false);
    }
    expect(after.spec.template.spec.containers[0]?.image).toBe('nginx:2');
    expect(after.metadata.generation).toBe((kept.metadata.generation ?? 0) + 1);
  });
});
