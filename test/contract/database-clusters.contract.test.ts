import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubernetesDeployer } from '../../src/adapters/kubernetes/kubernetes-deployer.js';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { NO_SERVER_REASON } from '../../src/sandbox/kubernetes/cnpg-operator.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { findPostgres } from '../../src/sandbox/kubernetes/sandbox-postgres.js';
import { eventually } from '../support/eventually.js';
import { fieldAt, startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { tempDir } from '../support/test-app.js';
import { describeDatabaseContract } from './database-clusters.contract.js';

const settings = (namespace: string) => ({
  namespace,
  ingressClass: 'traefik',
  tlsIssuer: 'letsencrypt-threesix',
  tlsIssuerKind: 'Issuer' as const,
  tlsSecret: undefined,
  resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
});
const IMAGE = 'registry.test/threesix/app@sha256:' + 'a'.repeat(64);
const postgres = findPostgres();
if (!postgres)
  process.stderr.write(
    '\n[threesix tests] NOTE: PostgreSQL binaries not found; the sandbox database connection tests are SKIPPED (.ci/run installs them).\n\n',
  );

describeDatabaseContract('memory', () => {
  const deployer = new MemoryDeployer({ databaseReadyPolls: 1 });
  return Promise.resolve({
    deployer,
    readyMs: 1000,
    makeForeignCluster: (name: string) => Promise.resolve(deployer.databases.addForeign(name)),
  });
});

/** A Cluster as someone else's tooling would make it: no threesix labels. */
const foreignCluster = (name: string) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name, labels: { team: 'data' } },
  spec: { instances: 1, storage: { size: '1Gi' } },
});

describe('Kubernetes adapter + stand-in: CloudNativePG Clusters (CRD-validated)', () => {
  let cluster: CheckedKubernetes;
  let deployer: KubernetesDeployer;
  beforeAll(async () => {
    cluster = await startCheckedKubernetes({ dataDir: tempDir(), startDelayMs: 50, tickMs: 25 });
    deployer = new KubernetesDeployer({ kubeconfig: cluster.kubeconfig, ...settings('projects') });
  });
  afterAll(async () => {
    if (cluster?.spec.enabled) expect(cluster.spec.appliedObjects()).toBeGreaterThan(3);
    await cluster?.stop();
  });
  afterEach(() => {
    expect(cluster.spec.takeViolations()).toEqual([]);
  });

  describeDatabaseContract(
    'Kubernetes adapter + stand-in',
    () =>
      Promise.resolve({
        deployer,
        readyMs: 30_000,
        makeForeignCluster: (name: string) =>
          Promise.resolve(void cluster.store.create(RESOURCES.clusters, 'projects', foreignCluster(name))),
        clusterExists: (name: string) =>
          Promise.resolve(cluster.store.find(RESOURCES.clusters, 'projects', name) !== undefined),
      }),
    'kube-db',
  );

  it("wires the app to the operator's Secret through secretKeyRef at every apply while the Cluster exists, and unwires it after", async () => {
    const project = 'wired';
    const env = () =>
      cluster.store.get(RESOURCES.deployments, 'projects', project).spec.template.spec.containers[0]!.env as Array<
        Record<string, unknown>
      >;
    await deployer.apply({
      project,
      image: IMAGE,
      port: 8080,
      replicas: 1,
      env: { DATABASE_URL: 'plain', GREETING: 'hi' },
      hosts: ['wired.example.test'],
    });
    expect(env().find((e) => e.name === 'DATABASE_URL')).toEqual({ name: 'DATABASE_URL', value: 'plain' });
    await deployer.applyDatabase({ project, size: '1Gi', version: 16, instances: 1, backup: null });
    // A re-deploy that keeps the env (rollback, CI): the database entries come in, the plain value of that name goes.
    await deployer.apply({ project, image: IMAGE, port: 8080, replicas: 1, hosts: ['wired.example.test'] });
    expect(env()).toEqual([
      { name: 'GREETING', value: 'hi' },
      ...[
        ['DATABASE_URL', 'uri'],
        ['PGHOST', 'host'],
        ['PGPORT', 'port'],
        ['PGUSER', 'username'],
        ['PGPASSWORD', 'password'],
        ['PGDATABASE', 'dbname'],
      ].map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: 'wired-db-app', key } } })),
    ]);
    expect(cluster.store.get(RESOURCES.clusters, 'projects', 'wired-db').spec?.imageName).toBe(
      'ghcr.io/cloudnative-pg/postgresql:16',
    );
    await deployer.removeDatabase(project);
    await deployer.apply({ project, image: IMAGE, port: 8080, replicas: 1, hosts: ['wired.example.test'] });
    expect(env().map((e) => e.name)).toEqual(['GREETING']);
    await deployer.remove(project);
  });

  it('applies scheduled backups with the Cluster when an object store is configured', async () => {
    const backup = {
      destinationPath: 's3://backups/threesix',
      endpointUrl: 'https://s3.example.test',
      credentialsSecret: 'db-backup',
      schedule: '0 0 3 * * *',
      retention: '30d',
    };
    await deployer.applyDatabase({ project: 'backed', size: '1Gi', version: null, instances: 1, backup });
    const spec = cluster.store.get(RESOURCES.clusters, 'projects', 'backed-db').spec;
    expect(fieldAt(spec, 'backup')).toEqual({
      retentionPolicy: '30d',
      barmanObjectStore: {
        destinationPath: 's3://backups/threesix',
        endpointURL: 'https://s3.example.test',
        s3Credentials: {
          accessKeyId: { name: 'db-backup', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'db-backup', key: 'ACCESS_SECRET_KEY' },
        },
      },
    });
    expect(cluster.store.get(RESOURCES.scheduledbackups, 'projects', 'backed-db').spec).toEqual({
      schedule: '0 0 3 * * *',
      cluster: { name: 'backed-db' },
      backupOwnerReference: 'self',
      method: 'barmanObjectStore',
    });
    expect((await deployer.databaseStatus('backed')).backups).toBe(true);
    expect((await deployer.removeDatabase('backed')).removed).toEqual([
      'ScheduledBackup/backed-db',
      'Cluster/backed-db',
    ]);
  });

  it.skipIf(!postgres)(
    "backs the Cluster with a real PostgreSQL: the Secret's uri accepts queries, and deleting the Cluster stops it and removes the Secret",
    async () => {
      await deployer.applyDatabase({ project: 'real', size: '1Gi', version: null, instances: 1, backup: null });
      await eventually(async () => expect((await deployer.databaseStatus('real')).ready).toBe(true), 30_000);
      const secret = cluster.store.get(RESOURCES.secrets, 'projects', 'real-db-app');
      expect(secret.type).toBe('kubernetes.io/basic-auth');
      expect(secret.metadata.ownerReferences?.[0]).toMatchObject({
        kind: 'Cluster',
        name: 'real-db',
        controller: true,
      });
      const data = secret.data ?? {};
      const value = (key: string) => Buffer.from(data[key] ?? '', 'base64').toString();
      expect(Object.keys(data).sort()).toEqual([
        'dbname',
        'fqdn-jdbc-uri',
        'fqdn-uri',
        'host',
        'jdbc-uri',
        'password',
        'pgpass',
        'port',
        'uri',
        'user',
        'username',
      ]);
      const uri = value('uri');
      expect(uri).toBe(`postgresql://app:${value('password')}@127.0.0.1:${value('port')}/app`);
      // psql (installed with the server) is the client: a real connection over TCP with the password.
      const psql = (sql: string) =>
        execFileSync('psql', [uri, '-qAtc', sql], { encoding: 'utf8', timeout: 10_000 }).trim();
      psql('CREATE TABLE notes (body text)');
      psql("INSERT INTO notes VALUES ('hello')");
      expect(psql('SELECT body FROM notes')).toBe('hello');
      expect(psql('SELECT current_user')).toBe('app');
      expect(() =>
        execFileSync('psql', [uri.replace(value('password'), 'wrong'), '-qAtc', 'select 1'], {
          stdio: 'pipe',
          timeout: 10_000,
        }),
      ).toThrow();
      await deployer.removeDatabase('real');
      await eventually(
        () => expect(cluster.store.find(RESOURCES.secrets, 'projects', 'real-db-app')).toBeUndefined(),
        5000,
      );
      await eventually(() => expect(() => psql('select 1')).toThrow(), 10_000);
    },
  );
});

describe('Kubernetes stand-in without PostgreSQL binaries', () => {
  it('still runs the Cluster to healthy, and says that no real server stands behind it', async () => {
    const cluster = await startCheckedKubernetes({ dataDir: tempDir(), tickMs: 25, postgres: null });
    try {
      const deployer = new KubernetesDeployer({ kubeconfig: cluster.kubeconfig, ...settings('projects') });
      await deployer.applyDatabase({ project: 'hollow', size: '1Gi', version: null, instances: 1, backup: null });
      const status = await eventually(async () => {
        const s = await deployer.databaseStatus('hollow');
        expect(s.ready).toBe(true);
        return s;
      }, 5000);
      expect(status.phaseReason).toBe(NO_SERVER_REASON);
      expect(cluster.store.find(RESOURCES.secrets, 'projects', 'hollow-db-app')).toBeDefined();
      expect(cluster.spec.takeViolations()).toEqual([]);
    } finally {
      await cluster.stop();
    }
  });
});
