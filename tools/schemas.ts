/**
 * Output schema pieces shared by several tools. Input fields stay in each tool file so every tool
 * reads whole on its own.
 */
import { z } from 'zod';

// The domain's limit (src/domain/project-name.ts); the schema must not promise more.
export const projectName = z.string().max(40).describe('Project name');

export const projectView = {
  name: z.string(),
  description: z.string(),
  state: z.enum(['provisioning', 'ready', 'deleting', 'failed']),
  url: z.string().nullable(),
  domain: z.string().nullable(),
  customDomains: z.array(z.string()),
  repo: z.object({
    name: z.string().nullable(),
    cloneSsh: z.string().nullable(),
    cloneHttp: z.string().nullable(),
    webUrl: z.string().nullable(),
  }),
  deployment: z.object({
    status: z.enum(['none', 'deploying', 'running', 'failed', 'stopped']),
    image: z.string().nullable(),
    digest: z.string().nullable(),
    sha: z.string().nullable(),
    replicas: z.number(),
  }),
  ciRepoId: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const projectViewSchema = z.object(projectView);

export const repoView = z.object({
  id: z.number(),
  name: z.string(),
  fullName: z.string().describe('owner/name'),
  description: z.string(),
  private: z.boolean(),
  cloneSsh: z.string(),
  cloneHttp: z.string(),
  webUrl: z.string(),
  defaultBranch: z.string(),
  managed: z.boolean().describe('Has the threesix marker topic'),
  empty: z.boolean().describe('No commits yet'),
  archived: z.boolean(),
  createdAt: z.string().describe('When Gitea created it (RFC 3339)'),
  updatedAt: z.string().describe('When it last changed, e.g. a push'),
});

export const dryRun = z.boolean().default(false).describe('Plan only');

export const operationView = {
  id: z.string(),
  kind: z.string(),
  target: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  error: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  steps: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
      output: z.record(z.string(), z.unknown()).nullable().describe('Ids the step made'),
      error: z.string().nullable(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
};
