/**
 * The Deployer port's contract: every adapter (memory, Kubernetes + stand-in, a real cluster)
 * must behave like this.
 */
import { describe, expect, it } from 'vitest';
import type { Deployer, WorkloadStatus } from '../../src/ports/deployer.port.js';
import { assessRollout } from '../../src/services/deploy/assess-rollout.js';
import { eventually } from '../support/eventually.js';

export interface DeployerFixture {
  deployer: Deployer;
  /** Pushes an image and returns its pinned reference `host/repo@sha256:...`. */
  image(tag: string): string | Promise<string>;
  /** A pinned reference that does not exist in the registry. */
  missingImage: string;
  /** How long a rollout may take here. */
  settleMs: number;
  /** Whether the workload prints its environment (the fakes do; a real image may not). */
  logsEchoEnv: boolean;
  /** Makes an object someone else owns in the namespace (no threesix labels); absent on a real cluster. */
  makeForeign?(kind: 'Deployment' | 'Ingress', name: string, hosts?: string[]): void | Promise<void>;
}

const ready = (s: WorkloadStatus, replicas: number) => {
  expect(s.exists).toBe(true);
  expect(s.observedGeneration).toBeGreaterThanOrEqual(s.generation);
  expect(s.readyReplicas).toBe(replicas);
  expect(s.pods.filter((p) => p.ready)).toHaveLength(replicas);
};

export function describeDeployerContract(
  label: string,
  setup: () => DeployerFixture | Promise<DeployerFixture>,
  project = 'contract-app',
) {
  describe(`Deployer contract: ${label}`, () => {
    it('reports nothing deployed for an unknown project', async () => {
      const { deployer } = await setup();
      const status = await deployer.status(`${project}-none`);
      expect(status.exists).toBe(false);
      expect(status.pods).toEqual([]);
    });

    it('deploys, serves, scales, restarts, logs with secrets redacted, and removes everything', async () => {
      const fx = await setup();
      const { deployer } = fx;
      const image = await fx.image('v1');
      const hosts = [`${project}.example.test`];
      const { generation } = await deployer.apply({
        project,
        image,
        port: 8080,
        replicas: 1,
        env: { GREETING: 'hello' },
        secrets: { API_KEY: 'sekrit-value-123' },
        hosts,
      });
      expect(generation).toBeGreaterThanOrEqual(1);
      const status = await eventually(async () => {
        const s = await deployer.status(project);
        ready(s, 1);
        return s;
      }, fx.settleMs);
      expect(status.image).toBe(image);
      expect(status.hosts).toEqual(hosts);
      const managed = (await deployer.listManaged()).find((m) => m.project === project);
      expect(managed?.kinds.sort()).toEqual(['Deployment', 'Ingress', 'Secret', 'Service']);

      const logs = await eventually(async () => {
        const text = await deployer.logs(project, { tail: 50 });
        if (fx.logsEchoEnv) expect(text).toContain('GREETING=hello');
        return text;
      }, fx.settleMs);
      expect(logs).not.toContain('sekrit-value-123');
      if (fx.logsEchoEnv) expect(logs).toContain('API_KEY=[REDACTED]');

      await deployer.scale(project, 2);
      await eventually(async () => ready(await deployer.status(project), 2), fx.settleMs);

      const before = (await deployer.status(project)).generation;
      await deployer.restart(project);
      expect((await deployer.status(project)).generation).toBeGreaterThan(before);
      // A restart rolls new pods of the same image: only the newest template's pods may settle it,
      // and each pod names the pinned image it was made to run, whatever its runtime reports.
      await eventually(
        async () => expect(assessRollout(await deployer.status(project), image, 2)).toEqual({ state: 'succeeded' }),
        fx.settleMs,
      );
      const pods = (await deployer.status(project)).pods;
      expect(pods.map((p) => ({ current: p.current, image: p.image }))).toEqual([
        { current: true, image },
        { current: true, image },
      ]);

      await deployer.setHosts(project, [...hosts, 'www.custom.test']);
      expect((await deployer.status(project)).hosts).toEqual([...hosts, 'www.custom.test']);

      const { removed } = await deployer.remove(project);
      expect(removed.map((r) => r.split('/')[0]).sort()).toEqual(['Deployment', 'Ingress', 'Secret', 'Service']);
      expect((await deployer.status(project)).exists).toBe(false);
      expect((await deployer.listManaged()).some((m) => m.project === project)).toBe(false);
      expect((await deployer.remove(project)).removed).toEqual([]);
    });

    it('keeps env and secrets when a later apply omits them', async () => {
      const fx = await setup();
      const p = `${project}-keep`;
      await fx.deployer.apply({
        project: p,
        image: await fx.image('v1'),
        port: 8080,
        replicas: 1,
        env: { MODE: 'kept' },
        secrets: { TOKEN: 'kept-secret-1' },
        hosts: [`${p}.example.test`],
      });
      await fx.deployer.apply({
        project: p,
        image: await fx.image('v2'),
        port: 8080,
        replicas: 1,
        hosts: [`${p}.example.test`],
      });
      const logs = await eventually(async () => {
        const s = await fx.deployer.status(p);
        ready(s, 1);
        expect(s.image).toContain('@sha256:');
        const text = await fx.deployer.logs(p, { tail: 50 });
        if (fx.logsEchoEnv) expect(text).toContain('MODE=kept');
        return text;
      }, fx.settleMs);
      if (fx.logsEchoEnv) expect(logs).toContain('TOKEN=[REDACTED]');
      expect((await fx.deployer.listManaged()).find((m) => m.project === p)?.kinds).toContain('Secret');
      await fx.deployer.remove(p);
    });

    it('merges secretChanges into the env Secret: set values written, unset names removed, the others kept', async () => {
      const fx = await setup();
      const p = `${project}-merge`;
      const spec = { project: p, image: await fx.image('v1'), port: 8080, replicas: 1, hosts: [`${p}.example.test`] };
      await fx.deployer.apply({ ...spec, env: {}, secrets: { KEEP: 'kept-value-1', DROP: 'dropped-value-2' } });
      await fx.deployer.apply({ ...spec, secretChanges: { set: { ADDED: 'added-value-3' }, unset: ['DROP'] } });
      const logs = await eventually(async () => {
        ready(await fx.deployer.status(p), 1);
        const text = await fx.deployer.logs(p, { tail: 50 });
        if (fx.logsEchoEnv) expect(text).toContain('ADDED=[REDACTED]');
        return text;
      }, fx.settleMs);
      if (fx.logsEchoEnv) {
        expect(logs).toContain('KEEP=[REDACTED]');
        expect(logs).not.toContain('DROP=');
      }
      for (const value of ['kept-value-1', 'dropped-value-2', 'added-value-3']) expect(logs).not.toContain(value);
      await fx.deployer.remove(p);
    });

    it('reports an image that does not pull as ImagePullBackOff or ErrImagePull', async () => {
      const fx = await setup();
      const p = `${project}-missing`;
      await fx.deployer.apply({
        project: p,
        image: fx.missingImage,
        port: 8080,
        replicas: 1,
        env: {},
        secrets: {},
        hosts: [`${p}.example.test`],
      });
      const status = await eventually(async () => {
        const s = await fx.deployer.status(p);
        expect(['ImagePullBackOff', 'ErrImagePull']).toContain(s.pods[0]?.reason);
        return s;
      }, fx.settleMs);
      expect(status.readyReplicas).toBe(0);
      await fx.deployer.remove(p);
    });

    it('lists every Ingress host in the namespace, ours and foreign, and names foreign objects a deploy would collide with', async () => {
      const fx = await setup();
      const { deployer } = fx;
      const name = `${project}-claims`;
      await deployer.apply({
        project: name,
        image: await fx.image('claims'),
        port: 8080,
        replicas: 1,
        env: {},
        secrets: {},
        hosts: [`${name}.example.test`, 'www.claims.test'],
      });
      expect(await deployer.foreignObjects(name)).toEqual([]);
      expect(await deployer.hostsInUse()).toEqual(
        expect.arrayContaining([
          { host: `${name}.example.test`, ingress: name, project: name },
          { host: 'www.claims.test', ingress: name, project: name },
        ]),
      );
      if (fx.makeForeign) {
        await fx.makeForeign('Ingress', `${project}-theirs`, ['theirs.claims.test']);
        await fx.makeForeign('Deployment', `${project}-taken`);
        expect(await deployer.hostsInUse()).toContainEqual({
          host: 'theirs.claims.test',
          ingress: `${project}-theirs`,
          project: null,
        });
        expect(await deployer.foreignObjects(`${project}-taken`)).toEqual([`Deployment/${project}-taken`]);
        expect(await deployer.foreignObjects(`${project}-theirs`)).toEqual([`Ingress/${project}-theirs`]);
      }
      await deployer.remove(name);
      expect((await deployer.hostsInUse()).some((use) => use.project === name)).toBe(false);
    });

    it('answers NOT_FOUND for changes to a project that is not deployed', async () => {
      const { deployer } = await setup();
      await expect(deployer.scale(`${project}-ghost`, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(deployer.restart(`${project}-ghost`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(deployer.logs(`${project}-ghost`, { tail: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
