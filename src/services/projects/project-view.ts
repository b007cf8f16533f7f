/**
 * @module services/projects/project-view
 * The public face of a project row: what tools and resources show. The deploy-token hash and other
 * internals stay behind.
 */
import type { Project } from '../../domain/project.js';

export interface ProjectView {
  name: string;
  description: string;
  state: Project['state'];
  url: string | null;
  domain: string | null;
  customDomains: string[];
  repo: { name: string | null; cloneSsh: string | null; cloneHttp: string | null; webUrl: string | null };
  deployment: {
    status: Project['deploymentStatus'];
    image: string | null;
    digest: string | null;
    sha: string | null;
    replicas: number;
  };
  ciRepoId: number | null;
  createdAt: string;
  updatedAt: string;
}

export function toProjectView(project: Project): ProjectView {
  return {
    name: project.name,
    description: project.description,
    state: project.state,
    url: project.domain ? `https://${project.domain}` : null,
    domain: project.domain,
    customDomains: project.customDomains,
    repo: {
      name: project.gitRepoName,
      cloneSsh: project.gitCloneSsh,
      cloneHttp: project.gitCloneHttp,
      webUrl: project.gitWebUrl,
    },
    deployment: {
      status: project.deploymentStatus,
      image: project.deploymentImage,
      digest: project.deploymentDigest,
      sha: project.deployedSha,
      replicas: project.deploymentReplicas,
    },
    ciRepoId: project.ciRepoId,
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}
