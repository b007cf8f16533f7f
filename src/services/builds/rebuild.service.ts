/**
 * @module services/builds/rebuild
 * Runs a project's pipeline again: by default a new (manual) pipeline for the head of the default
 * branch, or a restart of a given build (same commit and event). The build deploys as any other
 * does, through its notify step; a commit already deployed is not deployed twice.
 */
import { invalidInput, preconditionFailed } from '../../domain/errors.js';
import type { AppContext } from '../shared/app-context.js';
import { BUILD_NUMBER_MAX, ciProject } from './ci-project.js';

export interface RebuildResult {
  project: string;
  dryRun: boolean;
  /** The new build's number (null on a dry run). */
  build: number | null;
  /** The build restarted, when one was given. */
  restartedFrom: number | null;
  status: string | null;
  branch: string;
  commit: string | null;
  webUrl: string | null;
}

export async function rebuild(
  app: AppContext,
  name: string,
  options: { build?: number; dryRun?: boolean } = {},
): Promise<RebuildResult> {
  const from = options.build;
  if (from !== undefined && (!Number.isInteger(from) || from < 1 || from > BUILD_NUMBER_MAX))
    throw invalidInput('build must be a positive build number (see list_builds)');
  const { project, ci, repoId } = await ciProject(app, name);
  if (from !== undefined) {
    const old = await ci.getPipeline(repoId, from); // NOT_FOUND before anything runs
    if (options.dryRun)
      return {
        project: project.name,
        dryRun: true,
        build: null,
        restartedFrom: from,
        status: null,
        branch: old.branch,
        commit: old.commit,
        webUrl: null,
      };
    const started = await ci.restartPipeline(repoId, from);
    app.events.projectChanged(project.name);
    return {
      project: project.name,
      dryRun: false,
      build: started.number,
      restartedFrom: from,
      status: started.status,
      branch: started.branch,
      commit: started.commit,
      webUrl: started.webUrl,
    };
  }
  const git = await app.backends.git.get();
  const repo = await git.getRepo(project.gitRepoName ?? project.name);
  if (repo.empty)
    throw preconditionFailed(`the repository of ${project.name} has no commits to build`, 'Push a commit first');
  if (options.dryRun)
    return {
      project: project.name,
      dryRun: true,
      build: null,
      restartedFrom: null,
      status: null,
      branch: repo.defaultBranch,
      commit: null,
      webUrl: null,
    };
  const started = await ci.runPipeline(repoId, repo.defaultBranch);
  if (!started) {
    throw preconditionFailed(
      `CI started no pipeline for ${repo.defaultBranch}: the pipeline's \`when\` does not admit a manual run`,
      'Add manual to the events under `when` in .woodpecker.yaml (the template has `event: [push, manual]`), or push a commit',
    );
  }
  app.events.projectChanged(project.name);
  return {
    project: project.name,
    dryRun: false,
    build: started.number,
    restartedFrom: null,
    status: started.status,
    branch: started.branch,
    commit: started.commit,
    webUrl: started.webUrl,
  };
}
