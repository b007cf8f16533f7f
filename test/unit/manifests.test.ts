/**
 * deployments/k8s: the base and the example overlay are built with the test's small kustomize
 * (test/support/kustomize.ts). Core objects are validated against the official Kubernetes OpenAPI
 * documents; RBAC and cert-manager objects, which those documents do not cover, are checked
 * structurally here (see deployments/k8s/README.md, "How the manifests are tested").
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K8sSchemas } from '../support/k8s-schemas.js';
import {
  buildKustomization,
  containersOf,
  type K8sObject,
  objectId,
  podSpecOf,
  repoRoot,
  splitImage,
} from '../support/kustomize.js';
import { SPECS_PRESENT } from '../support/specs.js';
import { EnvSchema, loadConfig, SECRET_VARIABLES } from '../../src/config.js';
import {
  checkDisruptionBudgets,
  checkImagePins,
  checkRbac,
  checkReferences,
  checkSecurity,
  imagesOf,
  SECRET_TEMPLATES,
  starterImages,
} from '../support/manifest-checks.js';

const K8S = join(repoRoot, 'deployments/k8s');
const builds: Array<[string, () => K8sObject[]]> = [
  ['base', () => buildKustomization(join(K8S, 'base'))],
  ['overlay example', () => buildKustomization(join(K8S, 'overlays/example'), { envFileFallback: '.example' })],
];
const NON_CORE_KINDS = new Set(['Role', 'RoleBinding', 'Issuer', 'Certificate']);

/** The fields of Zot's config.json (the zot-config ConfigMap) these tests read. */
interface ZotConfig {
  http: {
    compat?: unknown;
    auth: { htpasswd: { path: string } };
    accessControl: { repositories: Record<string, { anonymousPolicy?: string[]; defaultPolicy?: string[] }> };
  };
  extensions?: unknown;
}

describe.each(builds)('deployments/k8s %s', (label, build) => {
  const objects = build();

  it('contains the whole platform', () => {
    const ids = new Set(objects.map(objectId));
    for (const id of [
      'Namespace/-/threesix',
      'Namespace/-/projects',
      'Namespace/-/threesix-ci',
      'Issuer/threesix/letsencrypt-threesix',
      'Issuer/projects/letsencrypt-threesix',
      'Certificate/threesix/threesix-wildcard',
      'StatefulSet/threesix/gitea',
      'Service/threesix/gitea',
      'Ingress/threesix/gitea',
      'Cluster/threesix/gitea-db',
      'StatefulSet/threesix/zot',
      'Service/threesix/zot',
      'Deployment/threesix/woodpecker-server',
      'Deployment/threesix/woodpecker-agent',
      'Role/threesix-ci/woodpecker-agent',
      'RoleBinding/threesix-ci/woodpecker-agent',
      'Deployment/threesix/threesix',
      'Service/threesix/threesix',
      'Ingress/threesix/threesix',
      'ServiceAccount/threesix/threesix',
      'Role/projects/threesix-deployer',
      'RoleBinding/projects/threesix-deployer',
    ])
      expect(ids, id).toContain(id);
  });

  describe.skipIf(!SPECS_PRESENT)('against the Kubernetes OpenAPI specs', () => {
    const schemas = SPECS_PRESENT ? new K8sSchemas() : undefined;

    it('every core object matches its official schema, and no kind goes unchecked', () => {
      const problems: string[] = [];
      for (const o of objects) {
        if (schemas!.covers(o.apiVersion, o.kind))
          problems.push(...schemas!.validate(o).map((e) => `${objectId(o)}: ${e}`));
        else if (!NON_CORE_KINDS.has(o.kind))
          problems.push(`${objectId(o)}: ${o.apiVersion} ${o.kind} is neither in the specs nor checked structurally`);
      }
      expect(problems).toEqual([]);
    });

    it('the schemas are strict enough to catch a misspelt field', () => {
      const deployment = structuredClone(objects.find((o) => o.kind === 'Deployment')!);
      const spec = podSpecOf(deployment)!;
      spec.contianers = spec.containers;
      expect(schemas!.validate(deployment).join('\n')).toMatch(/contianers/);
    });

    it('validates the CloudNativePG Cluster against its released CRD, catching a misspelt field or a wrong type', () => {
      const cluster = structuredClone(
        objects.find((o) => objectId(o) === 'Cluster/threesix/gitea-db')!,
      ) as K8sObject & { spec: { storage: Record<string, unknown>; instances: unknown } };
      expect(schemas!.covers(cluster.apiVersion, cluster.kind)).toBe(true);
      expect(schemas!.validate(cluster)).toEqual([]);
      cluster.spec.storage.storageClas = 'longhorn';
      cluster.spec.instances = 'one';
      const problems = schemas!.validate(cluster).join('\n');
      expect(problems).toMatch(/storageClas/);
      expect(problems).toMatch(/instances must be integer/);
    });
  });

  it('RBAC stays inside the intended namespaces', () => expect(checkRbac(objects)).toEqual([]));
  it('every reference resolves: selectors, backends, issuers, config maps and secrets', () =>
    expect(checkReferences(objects)).toEqual([]));
  it('every pod runs as non-root without privilege escalation', () => expect(checkSecurity(objects)).toEqual([]));

  it('pins every image by version or digest, the database image included', () => {
    const images = imagesOf(objects);
    expect(images.map((i) => i.where)).toContain('Cluster/threesix/gitea-db');
    expect(images.length).toBeGreaterThanOrEqual(6);
    expect(checkImagePins(images)).toEqual([]);
  });

  it('runs the threesix image of this package version with /healthz and /readyz probes', () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const container = containersOf(objects.find((o) => objectId(o) === 'Deployment/threesix/threesix')!)[0]!;
    expect(splitImage(String(container.image)).tag).toBe(version);
    expect(container).toMatchObject({
      livenessProbe: { httpGet: { path: '/healthz' } },
      readinessProbe: { httpGet: { path: '/readyz' } },
    });
    const ingress = objects.find((o) => objectId(o) === 'Ingress/threesix/threesix')!;
    const paths = JSON.stringify(ingress.spec).match(/"path":"[^"]+"/g);
    expect(paths).toEqual(['"path":"/mcp"', '"path":"/webhooks"']);
  });

  it(
    label === 'base'
      ? 'inlines no secret values: secrets are templates the overlay generates'
      : 'generates every secret template, empty in the committed examples',
    () => {
      const secrets = objects.filter((o) => o.kind === 'Secret');
      if (label === 'base') {
        expect(secrets).toEqual([]);
        return;
      }
      expect(secrets.map((s) => s.metadata.name).sort()).toEqual(Object.keys(SECRET_TEMPLATES).sort());
      for (const s of secrets) {
        for (const [key, value] of Object.entries(s.data as Record<string, string>))
          expect(Buffer.from(value, 'base64').toString(), `${s.metadata.name}.${key}`).toBe('');
      }
    },
  );
});

describe('deployments/k8s overlay example', () => {
  const objects = buildKustomization(join(K8S, 'overlays/example'), { envFileFallback: '.example' });

  it('moves every host, URL and certificate to the overlay domain', () => {
    const text = JSON.stringify(objects.filter((o) => o.kind !== 'Secret'));
    expect(text).not.toMatch(/example\.com/);
    expect(objects.find((o) => objectId(o) === 'Certificate/threesix/threesix-wildcard')!.spec).toMatchObject({
      dnsNames: ['example.org', '*.example.org'],
    });
  });

  it('points the threesix image at the operator registry', () => {
    const container = containersOf(objects.find((o) => objectId(o) === 'Deployment/threesix/threesix')!)[0]!;
    expect(container.image).toMatch(/^registry\.example\.org\/threesix\/threesix-mcp:\d+\.\d+\.\d+$/);
  });

  it('keeps the real secret files out of git and the templates in', () => {
    const ignored = (path: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', path], { cwd: repoRoot });
        return true;
      } catch {
        return false;
      }
    };
    expect(ignored('deployments/k8s/overlays/example/secrets/threesix.env')).toBe(true);
    expect(ignored('deployments/k8s/overlays/mine/secrets/zot.htpasswd')).toBe(true);
    expect(ignored('deployments/k8s/overlays/example/secrets/threesix.env.example')).toBe(false);
  });
});

describe('the structural checks catch what they are meant to', () => {
  const fresh = () => buildKustomization(join(K8S, 'base'));
  /** The object with that id, typed with the fields `T` a test is about to break. */
  const get = <T>(objects: K8sObject[], id: string) => objects.find((o) => objectId(o) === id)! as K8sObject & T;
  type RoleBinding = { roleRef: { kind: string; name: string } };

  it('cluster-wide RBAC, wildcards, secret watch, and a Role for threesix in its own namespace', () => {
    const objects = fresh();
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } });
    const role = get<{ rules: object[] }>(objects, 'Role/projects/threesix-deployer');
    role.rules.push(
      { apiGroups: [''], resources: ['secrets'], verbs: ['watch'] },
      { apiGroups: ['*'], resources: ['pods/exec'], verbs: ['*'] },
    );
    objects.push({ ...structuredClone(role), metadata: { name: 'own', namespace: 'threesix' } });
    const binding = structuredClone(get<RoleBinding>(objects, 'RoleBinding/projects/threesix-deployer'));
    binding.metadata = { name: 'own', namespace: 'threesix' };
    binding.roleRef.name = 'own';
    objects.push(binding);
    const problems = checkRbac(objects).join('\n');
    expect(problems).toContain('ClusterRole/-/x: no cluster-wide RBAC');
    expect(problems).toContain('threesix may not watch secrets');
    expect(problems).toContain('wildcard apiGroup');
    expect(problems).toContain('may not grant pods/exec');
    expect(problems).toContain('may not grant verb *');
    expect(problems).toContain('threesix/threesix may only hold Roles in projects, not threesix');
  });

  it('a binding to a ClusterRole, or a pod that mounts a token it does not need', () => {
    const objects = fresh();
    get<RoleBinding>(objects, 'RoleBinding/threesix-ci/woodpecker-agent').roleRef.kind = 'ClusterRole';
    delete podSpecOf(get(objects, 'StatefulSet/threesix/zot'))!.automountServiceAccountToken;
    const problems = checkRbac(objects).join('\n');
    expect(problems).toContain('must reference a Role (not a ClusterRole)');
    expect(problems).toContain('StatefulSet/threesix/zot: set automountServiceAccountToken: false');
  });

  it('dangling references and unsafe pods', () => {
    const objects = fresh();
    get<{ spec: { selector: unknown } }>(objects, 'Service/threesix/gitea').spec.selector = { app: 'nothing' };
    type Ingress = { spec: { rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }> } };
    get<Ingress>(objects, 'Ingress/threesix/threesix').spec.rules[0]!.http.paths[0]!.backend.service.name = 'missing';
    containersOf(get(objects, 'Deployment/threesix/woodpecker-agent'))[0]!.env = [
      { name: 'X', valueFrom: { secretKeyRef: { name: 'woodpecker-secrets', key: 'NOPE' } } },
    ];
    const threesix = containersOf(get(objects, 'Deployment/threesix/threesix'))[0]! as {
      securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean };
    };
    threesix.securityContext.allowPrivilegeEscalation = true;
    threesix.securityContext.readOnlyRootFilesystem = false;
    const references = checkReferences(objects).join('\n');
    expect(references).toContain('Service/threesix/gitea: selector matches no workload');
    expect(references).toContain('Ingress/threesix/threesix: Service missing not found');
    expect(references).toContain('secret threesix/woodpecker-secrets has no key NOPE');
    const security = checkSecurity(objects).join('\n');
    expect(security).toContain('Deployment/threesix/threesix/threesix: allowPrivilegeEscalation: false');
    expect(security).toContain('threesix: readOnlyRootFilesystem');
  });

  it('an operator secret that the Cluster will not create: bootstrap names its own, or the Cluster is gone', () => {
    const own = fresh();
    type Cluster = { spec: { bootstrap: { initdb: { secret: unknown } } } };
    get<Cluster>(own, 'Cluster/threesix/gitea-db').spec.bootstrap.initdb.secret = { name: 'my-gitea-db-user' };
    expect(checkReferences(own).join('\n')).toContain(
      'StatefulSet/threesix/gitea: secret threesix/gitea-db-app is neither generated nor a template',
    );
    const gone = fresh().filter((o) => o.kind !== 'Cluster');
    expect(checkReferences(gone).join('\n')).toContain(
      'secret threesix/gitea-db-app is neither generated nor a template',
    );
    expect(checkReferences(fresh())).toEqual([]);
  });

  it('the loader refuses a $patch: delete whose entry is not there (patch and target drifted apart)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'threesix-kustomize-'));
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `resources: [${join(K8S, 'base')}]\npatches:\n  - path: drop.yaml\n`,
    );
    writeFileSync(
      join(dir, 'drop.yaml'),
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: gitea, namespace: threesix }\nspec:\n  template:\n    spec:\n      containers:\n        - name: gitea\n          env:\n            - { name: NOT_THERE, $patch: delete }\n',
    );
    expect(() => buildKustomization(dir)).toThrow(/deletes name NOT_THERE, which is not in the list/);
  });
});

describe('the threesix ConfigMap and secret template are a valid configuration', () => {
  it('parses with src/config.ts, configures every backend, and keeps secrets out of the ConfigMap', () => {
    const objects = buildKustomization(join(K8S, 'overlays/example'), { envFileFallback: '.example' });
    const data = get(objects, 'ConfigMap/threesix/threesix-config').data as Record<string, string>;
    for (const key of Object.keys(data)) {
      expect(Object.keys(EnvSchema.shape), key).toContain(key);
      expect(SECRET_VARIABLES.has(key), key).toBe(false);
    }
    for (const key of SECRET_TEMPLATES['threesix-secrets']!.keys)
      expect(Object.keys(EnvSchema.shape), key).toContain(key);
    // What the pod sees: the ConfigMap, the secrets filled in, and the in-cluster service host.
    const secrets = Object.fromEntries(SECRET_TEMPLATES['threesix-secrets']!.keys.map((k) => [k, 'filled-in-value']));
    const config = loadConfig({
      ...data,
      ...secrets,
      KUBERNETES_SERVICE_HOST: '10.43.0.1',
      DNS_PROVIDER: 'cloudflare',
    });
    expect(config.configured).toEqual({ git: true, dns: 'cloudflare', ci: true, deployer: true, registry: true });
    expect(config.THREESIX_HTTP_PORT).toBe(3636);
  });

  it('asks for the registry push user when the bundled Zot refuses anonymous pushes', () => {
    // Without REGISTRY_USERNAME/PASSWORD the pipeline's kaniko step gets no credentials at all.
    const objects = buildKustomization(join(K8S, 'overlays/example'), { envFileFallback: '.example' });
    const zot = JSON.parse(
      (get(objects, 'ConfigMap/threesix/zot-config').data as Record<string, string>)['config.json']!,
    ) as ZotConfig;
    const anonymous = Object.values(zot.http.accessControl.repositories).flatMap((r) => r.anonymousPolicy ?? []);
    expect(anonymous).not.toContain('create');
    const template = readFileSync(join(K8S, 'overlays/example/secrets/threesix.env.example'), 'utf8').split('\n');
    const comment = template
      .slice(
        0,
        template.findIndex((line) => line.startsWith('REGISTRY_USERNAME=')),
      )
      .reverse();
    const above = comment
      .slice(
        0,
        comment.findIndex((line) => !line.startsWith('#')),
      )
      .join(' ');
    expect(above).toMatch(/push/i);
    expect(above).toMatch(/required/i);
    expect(EnvSchema.shape.REGISTRY_USERNAME.description).toMatch(/push/);
  });

  function get(objects: K8sObject[], id: string) {
    return objects.find((o) => objectId(o) === id)!;
  }
});

describe('image pins in deployments/', () => {
  const all = () => [
    ...imagesOf(buildKustomization(join(K8S, 'overlays/example'), { envFileFallback: '.example' })),
    ...imagesOf(buildKustomization(join(K8S, 'base'))),
    ...starterImages(),
  ];

  it('the pipeline template and the starter Dockerfile are pinned too', () => {
    const starter = starterImages();
    expect(starter.map((i) => i.where)).toEqual([
      '.woodpecker.yaml step build-and-push',
      '.woodpecker.yaml step notify-threesix',
      '.woodpecker.yaml step report-failure',
      'Dockerfile FROM',
    ]);
    expect(checkImagePins(starter)).toEqual([]);
  });

  it('the check refuses latest, a missing tag, a moving name and a malformed digest', () => {
    const problems = checkImagePins([
      { where: 'a', image: 'woodpeckerci/woodpecker-agent:latest' },
      { where: 'b', image: 'ghcr.io/project-zot/zot-linux-amd64' },
      { where: 'c', image: 'registry.local:5000/team/app' },
      { where: 'd', image: 'curlimages/curl:stable' },
      { where: 'e', image: 'gitea/gitea@sha256:abc' },
      { where: 'f', image: 'gitea/gitea:1.24.6-rootless' },
    ]);
    expect(problems).toEqual([
      'a: woodpeckerci/woodpecker-agent:latest: tag latest is not a version',
      'b: ghcr.io/project-zot/zot-linux-amd64: no tag, which means latest',
      'c: registry.local:5000/team/app: no tag, which means latest',
      'd: curlimages/curl:stable: tag stable is not a version',
      'e: gitea/gitea@sha256:abc: malformed digest',
    ]);
  });

  it('every pinned third-party image is listed in deployments/k8s/README.md with where its release was confirmed', () => {
    const readme = readFileSync(join(K8S, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Pinned images'));
    const thirdParty = [...new Set(all().map((i) => i.image))].filter((image) => !/threesix-mcp/.test(image));
    expect(thirdParty.length).toBeGreaterThanOrEqual(8);
    for (const image of thirdParty) {
      const row = table.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${image}\``));
      expect(row, `${image} has no row in the README's "Pinned images" table`).toBeDefined();
      expect(
        row!.split('|').filter((cell) => cell.trim()).length,
        `${image}: row names where it was confirmed`,
      ).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('operator installs in deployments/k8s/README.md', () => {
  it('apply release manifests pinned to a version, never latest', () => {
    const readme = readFileSync(join(K8S, 'README.md'), 'utf8');
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('## ', readme.indexOf('## Install') + 3));
    const urls = install.match(/https:\/\/\S+\.yaml/g) ?? [];
    expect(urls.map((u) => new URL(u).hostname).sort()).toEqual(['github.com', 'raw.githubusercontent.com']);
    for (const url of urls) {
      expect(url).not.toMatch(/latest/);
      expect(url, url).toMatch(/\/v?\d+\.\d+\.\d+\/|-\d+\.\d+\.\d+\.yaml$/);
    }
  });
});

describe('platform fidelity of the manifests', () => {
  const objects = buildKustomization(join(K8S, 'overlays/example'), { envFileFallback: '.example' });
  const env = (id: string) =>
    (containersOf(objects.find((o) => objectId(o) === id)!)[0]!.env ?? []) as Array<{
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef?: { name: string; key: string } };
    }>;

  it('Woodpecker asks for ReadWriteOnce pipeline volumes, which k3s local-path can bind (its default is RWX)', () => {
    expect(env('Deployment/threesix/woodpecker-agent')).toContainEqual({
      name: 'WOODPECKER_BACKEND_K8S_STORAGE_RWX',
      value: 'false',
    });
  });

  it('Zot accepts Docker schema 2 manifests, serves its UI, reads anonymously and pushes only with a login', () => {
    const config = JSON.parse(
      (objects.find((o) => objectId(o) === 'ConfigMap/threesix/zot-config')!.data as Record<string, string>)[
        'config.json'
      ]!,
    ) as ZotConfig;
    expect(config.http.compat).toEqual(['docker2s2']);
    // The ui extension refuses to start without search (zot pkg/cli/server/root.go validateExtensionsConfig).
    expect(config.extensions).toMatchObject({ ui: { enable: true }, search: { enable: true } });
    expect(config.http.auth.htpasswd.path).toBeTruthy();
    for (const policy of Object.values(config.http.accessControl.repositories)) {
      expect(policy.anonymousPolicy).toEqual(['read']);
      expect(policy.defaultPolicy).toContain('create');
    }
    // http.compat arrived in Zot v2.1.2 (commit cb2af94b); an older pin would ignore it.
    const zot = imagesOf(objects).find((i) => i.where.startsWith('StatefulSet/threesix/zot'))!;
    const [major, minor, patch] = splitImage(zot.image).tag!.replace(/^v/, '').split('.').map(Number) as [
      number,
      number,
      number,
    ];
    expect(major * 1e6 + minor * 1e3 + patch, zot.image).toBeGreaterThanOrEqual(2_001_002);
  });

  it('Gitea runs on the CloudNativePG cluster, reading every connection setting from the operator secret, with LFS on', () => {
    const gitea = env('StatefulSet/threesix/gitea');
    const fromSecret = (name: string) => gitea.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    expect(gitea).toContainEqual({ name: 'GITEA__database__DB_TYPE', value: 'postgres' });
    expect(fromSecret('GITEA__database__NAME')).toEqual({ name: 'gitea-db-app', key: 'dbname' });
    expect(fromSecret('GITEA__database__USER')).toEqual({ name: 'gitea-db-app', key: 'user' });
    expect(fromSecret('GITEA__database__PASSWD')).toEqual({ name: 'gitea-db-app', key: 'password' });
    // HOST is host:port, built from two earlier entries (Kubernetes expands only those defined before).
    const host = gitea.findIndex((e) => e.name === 'GITEA__database__HOST');
    expect(gitea[host]!.value).toBe('$(CNPG_HOST):$(CNPG_PORT)');
    for (const [helper, key] of [
      ['CNPG_HOST', 'host'],
      ['CNPG_PORT', 'port'],
    ] as const) {
      expect(fromSecret(helper)).toEqual({ name: 'gitea-db-app', key });
      expect(gitea.findIndex((e) => e.name === helper)).toBeLessThan(host);
    }
    expect(gitea.some((e) => e.name === 'GITEA__database__PATH')).toBe(false);
    expect(gitea).toContainEqual({ name: 'GITEA__server__LFS_START_SERVER', value: 'true' });
  });

  it('leaves the database storage class to the overlay: cluster default in the base, longhorn in the example', () => {
    const storage = (list: K8sObject[]) =>
      (list.find((o) => objectId(o) === 'Cluster/threesix/gitea-db')!.spec as { storage: Record<string, unknown> })
        .storage;
    expect(storage(buildKustomization(join(K8S, 'base'))).storageClass).toBeUndefined();
    expect(storage(objects)).toMatchObject({ storageClass: 'longhorn', size: '10Gi' });
  });
});

describe('components/gitea-sqlite', () => {
  // A throw-away overlay: the example plus the component, as the README tells an operator to write it.
  const dir = mkdtempSync(join(tmpdir(), 'threesix-kustomize-'));
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `resources: [${join(K8S, 'overlays/example')}]\ncomponents: [${join(K8S, 'components/gitea-sqlite')}]\n`,
  );
  const objects = buildKustomization(dir, { envFileFallback: '.example' });

  it('runs Gitea on SQLite without the operator: no Cluster, no reference to its secret, everything still resolves', () => {
    expect(objects.filter((o) => o.kind === 'Cluster')).toEqual([]);
    const gitea = containersOf(objects.find((o) => objectId(o) === 'StatefulSet/threesix/gitea')!)[0]!;
    expect(gitea.env).toEqual(
      expect.arrayContaining([
        { name: 'GITEA__database__DB_TYPE', value: 'sqlite3' },
        { name: 'GITEA__database__PATH', value: '/var/lib/gitea/data/gitea.db' },
      ]),
    );
    expect(JSON.stringify(gitea.env)).not.toMatch(
      /gitea-db-app|CNPG_|GITEA__database__(HOST|USER|PASSWD|NAME|SSL_MODE)/,
    );
    expect(checkReferences(objects)).toEqual([]);
    expect(checkSecurity(objects)).toEqual([]);
  });

  it.skipIf(!SPECS_PRESENT)('still matches the Kubernetes schemas', () => {
    const schemas = new K8sSchemas();
    expect(objects.flatMap((o) => (schemas.covers(o.apiVersion, o.kind) ? schemas.validate(o) : []))).toEqual([]);
  });
});

describe('components/ha', () => {
  // A throw-away overlay: the example plus the component, as the README tells an operator to write it.
  const dir = mkdtempSync(join(tmpdir(), 'threesix-kustomize-'));
  writeFileSync(
    join(dir, 'kustomization.yaml'),
    `resources: [${join(K8S, 'overlays/example')}]\ncomponents: [${join(K8S, 'components/ha')}]\n`,
  );
  const objects = buildKustomization(dir, { envFileFallback: '.example' });
  /** The object with that id, if the build has it, typed with the fields `T` a test reads. */
  const get = <T = unknown>(id: string) => objects.find((o) => objectId(o) === id) as (K8sObject & T) | undefined;
  const deployment = get<{ spec: { replicas: number; strategy: unknown } }>('Deployment/threesix/threesix')!;
  const container = containersOf(deployment)[0]!;

  it('runs two replicas that roll one at a time and prefer different nodes', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(podSpecOf(deployment)!.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'threesix' } },
            },
          },
        ],
      },
    });
  });

  it('keeps state in the CloudNativePG Cluster threesix-db through its app Secret, with no SQLite volume left', () => {
    expect(get('Cluster/threesix/threesix-db')!.spec).toMatchObject({
      instances: 2,
      bootstrap: { initdb: { database: 'threesix', owner: 'threesix' } },
    });
    expect(container.env).toContainEqual({
      name: 'THREESIX_DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'threesix-db-app', key: 'uri' } },
    });
    expect(get('PersistentVolumeClaim/threesix/threesix-data')).toBeUndefined();
    expect(JSON.stringify(podSpecOf(deployment))).not.toMatch(/threesix-data|"\/data"/);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(get<{ data: Record<string, string> }>('ConfigMap/threesix/threesix-config')!.data.THREESIX_DATA_DIR).toBe(
      '/tmp/threesix',
    );
    // Gitea's database is untouched.
    expect(get('Cluster/threesix/gitea-db')).toBeDefined();
  });

  it('the pod configuration parses with src/config.ts and selects PostgreSQL', () => {
    const data = get('ConfigMap/threesix/threesix-config')!.data as Record<string, string>;
    const secrets = Object.fromEntries(SECRET_TEMPLATES['threesix-secrets']!.keys.map((k) => [k, 'filled-in-value']));
    // The shape of the operator's uri (cloudnative-pg pkg/specs/secrets.go): postgresql://user:password@host:port/db.
    const uri = 'postgresql://threesix:s3cret@threesix-db-rw.threesix:5432/threesix';
    const config = loadConfig({
      ...data,
      ...secrets,
      THREESIX_DATABASE_URL: uri,
      KUBERNETES_SERVICE_HOST: '10.43.0.1',
      DNS_PROVIDER: 'cloudflare',
    });
    expect(config.THREESIX_DATABASE_URL).toBe(uri);
  });

  it('a PodDisruptionBudget keeps one pod through voluntary disruptions', () => {
    expect(get('PodDisruptionBudget/threesix/threesix')).toMatchObject({
      apiVersion: 'policy/v1',
      spec: { minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'threesix' } } },
    });
    expect(checkDisruptionBudgets(objects)).toEqual([]);
  });

  it('asks the Service and Traefik to keep a client on one replica', () => {
    const service = get<{ spec: { sessionAffinity: string } }>('Service/threesix/threesix')!;
    expect(service.spec.sessionAffinity).toBe('ClientIP');
    expect(service.metadata.annotations).toMatchObject({
      'traefik.ingress.kubernetes.io/service.sticky.cookie': 'true',
      'traefik.ingress.kubernetes.io/service.sticky.cookie.secure': 'true',
    });
  });

  it('every reference resolves (the app Secret is one the operator writes), pods stay restricted, RBAC unchanged', () => {
    expect(checkReferences(objects)).toEqual([]);
    expect(checkSecurity(objects)).toEqual([]);
    expect(checkRbac(objects)).toEqual([]);
    expect(checkImagePins(imagesOf(objects))).toEqual([]);
  });

  it('is documented in deployments/k8s/README.md with its limits', () => {
    const readme = readFileSync(join(K8S, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## High availability'));
    expect(section).toMatch(/components\/ha/);
    // Sessions are shared through the database now; stickiness only saves a rebuild.
    expect(section).toMatch(/mcp_sessions/);
    expect(section).toMatch(/LISTEN/);
    expect(section).toMatch(/sessionAffinity: ClientIP/);
  });

  it.skipIf(!SPECS_PRESENT)(
    'matches the Kubernetes schemas and the CloudNativePG CRD; the budget is checked structurally',
    () => {
      const schemas = new K8sSchemas();
      const unchecked = objects.filter(
        (o) => !schemas.covers(o.apiVersion, o.kind) && !NON_CORE_KINDS.has(o.kind) && o.kind !== 'PodDisruptionBudget',
      );
      expect(unchecked.map(objectId)).toEqual([]);
      expect(
        objects.flatMap((o) =>
          schemas.covers(o.apiVersion, o.kind) ? schemas.validate(o).map((e) => `${objectId(o)}: ${e}`) : [],
        ),
      ).toEqual([]);
      expect(schemas.covers('postgresql.cnpg.io/v1', 'Cluster')).toBe(true);
    },
  );
});

describe('checkDisruptionBudgets catches a budget that cannot work', () => {
  const pdb = (spec: Record<string, unknown>): K8sObject => ({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'threesix', namespace: 'threesix' },
    spec,
  });
  const base = () => buildKustomization(join(K8S, 'base'));

  it('minAvailable equal to the replicas blocks every drain; a selector that matches nothing; both or neither bound', () => {
    const problems = checkDisruptionBudgets([
      ...base(),
      pdb({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'threesix' } } }),
      {
        ...pdb({ maxUnavailable: 1, minAvailable: 1, selector: { matchLabels: { app: 'nothing' } } }),
        metadata: { name: 'other', namespace: 'threesix' },
      },
    ]).join('\n');
    expect(problems).toContain('Deployment/threesix/threesix has 1 replica(s), not more than minAvailable 1');
    expect(problems).toContain('PodDisruptionBudget/threesix/other: selector matches no workload');
    expect(problems).toContain(
      'PodDisruptionBudget/threesix/other: set exactly one of minAvailable and maxUnavailable',
    );
  });
});
