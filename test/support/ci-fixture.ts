/**
 * A test app on memory backends (git, registry, CI, cluster) for the deploy webhook and CI
 * services, with a project whose repository exists and whose CI is active; deploys run the real
 * deployRelease on the memory cluster.
 */
import { MemoryCiServer } from '../../src/adapters/memory/memory-ci-server.js';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import { MemoryImageRegistry } from '../../src/adapters/memory/memory-image-registry.js';
import { DEPLOY_TOKEN_SECRET } from '../../src/domain/ci-deploy.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { activateCi } from '../../src/services/ci/ci-activation.service.js';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import type { CiDeployFn } from '../../src/services/deploy/deploy-queue.service.js';
import { createTestApp } from './test-app.js';

export interface CiFixture {
  app: AppContext;
  git: MemoryGitHost;
  registry: MemoryImageRegistry;
  ci: MemoryCiServer;
  deployer: MemoryDeployer;
}

export async function createCiFixture(
  options: { env?: Record<string, string>; databaseFile?: string; backgroundCheckpoints?: boolean } = {},
): Promise<CiFixture> {
  const git = new MemoryGitHost();
  const registry = new MemoryImageRegistry('registry.example.test:5000');
  const ci = new MemoryCiServer();
  const deployer = new MemoryDeployer({ registry });
  const factory =
    <T>(port: T) =>
    () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(port) });
  const app = await createTestApp({
    env: { REGISTRY_URL: 'registry.example.test:5000', THREESIX_PUBLIC_URL: 'http://127.0.0.1:3636', ...options.env },
    databaseFile: options.databaseFile,
    backgroundCheckpoints: options.backgroundCheckpoints,
    factories: {
      git: factory(git),
      registry: factory(registry),
      ci: factory(ci),
      deployer: factory(deployer),
    },
  });
  return { app, git, registry, ci, deployer };
}

/** A project with a repository (one commit on main) and active CI; returns its deploy token and head. */
export async function addCiProject(fx: CiFixture, name: string): Promise<{ token: string; sha: string }> {
  const repo = await fx.git.createRepo({ name, description: 'test', private: false, autoInit: true });
  await fx.app.store.projects.create({
    name,
    description: 'test',
    state: 'ready',
    gitRepoId: repo.id,
    gitRepoName: name,
  });
  const { ciRepoId } = await activateCi(fx.app, name);
  const token = fx.ci.secretValue(ciRepoId, DEPLOY_TOKEN_SECRET)!;
  const { sha } = await fx.git.getBranchHead(name, 'main');
  return { token, sha };
}

/** A new commit on main with its image built, as a successful pipeline leaves things. */
export async function pushAndBuild(fx: CiFixture, name: string, message = 'change'): Promise<string> {
  const { sha } = await fx.git.commitFiles(name, {
    branch: 'main',
    message,
    files: [{ path: 'index.html', content: message }],
  });
  fx.registry.push(`threesix/${name}`, sha);
  return sha;
}

/** The real deploy use case, on the memory cluster and registry. */
export const fixtureDeploy: CiDeployFn = (app, input) => deployRelease(app, input);

export function notifyBody(project: string, sha: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    project,
    repo: `threesix/${project}`,
    sha,
    branch: 'main',
    pipeline: 7,
    pipeline_url: 'http://ci.example.test/repos/1/pipeline/7',
    ...extra,
  });
}

/** The image the cluster runs for `project`, and the one the commit's build would be (pinned by digest). */
export async function runningAndExpected(
  fx: CiFixture,
  project: string,
  sha: string,
): Promise<{ running: string | null; expected: string }> {
  const { digest } = await fx.registry.resolve(`threesix/${project}`, sha);
  return {
    running: (await fx.deployer.status(project)).image,
    expected: `${fx.registry.host}/threesix/${project}@${digest}`,
  };
}
