/**
 * @module domain/starter-files
 * Renders what a new repository is seeded with: the Woodpecker pipeline and a starter Dockerfile
 * (templates in deployments/woodpecker/, embedded by scripts/embed-starter-templates.mjs). Every
 * value is checked before it is placed, because the pipeline's notify step is a shell command.
 */
import { invalidInput } from './errors.js';
import { imageRepository } from './ci-deploy.js';
import { validateProjectName } from './project-name.js';
import { DOCKERFILE_TEMPLATE, PIPELINE_TEMPLATE } from './starter-templates.js';

export interface StarterFilesInput {
  project: string;
  org: string;
  /** Registry host (and port) without scheme, e.g. "zot.threesix.svc:5000". */
  registry: string;
  /** Push over plain HTTP (a registry URL with http://). */
  registryInsecure: boolean;
  /** The registry needs credentials: the pipeline reads them from repository secrets. */
  registryAuth: boolean;
  /** Full URL of threesix's deploy webhook. */
  webhookUrl: string;
}

export interface StarterFile {
  path: string;
  content: string;
}

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/;
const ORG = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;
// Only characters that are inert inside the notify step's double-quoted shell word.
const SAFE_URL = /^https?:\/\/[A-Za-z0-9.:[\]_~%/-]+$/;
const AUTH_MARKER = ' # threesix:registry-auth';

export function renderStarterFiles(input: StarterFilesInput): StarterFile[] {
  validateProjectName(input.project);
  const org = input.org.toLowerCase();
  if (!ORG.test(org)) throw invalidInput(`organization "${input.org.slice(0, 40)}" cannot be part of an image path`);
  if (!HOST.test(input.registry))
    throw invalidInput('the registry must be a host[:port] without scheme', 'Check REGISTRY_URL');
  if (!SAFE_URL.test(input.webhookUrl))
    throw invalidInput('the webhook URL is not a plain http(s) URL', 'Check THREESIX_PUBLIC_URL');
  const values: Record<string, string> = {
    project: input.project,
    registry: input.registry,
    image_repo: imageRepository(org, input.project),
    registry_insecure: String(input.registryInsecure),
    webhook_url: input.webhookUrl,
  };
  const fill = (template: string) =>
    template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? `{{${key}}}`);
  const pipeline = fill(PIPELINE_TEMPLATE)
    .split('\n')
    .filter((line) => input.registryAuth || !line.endsWith(AUTH_MARKER))
    .map((line) => (line.endsWith(AUTH_MARKER) ? line.slice(0, -AUTH_MARKER.length) : line))
    .join('\n');
  return [
    { path: '.woodpecker.yaml', content: pipeline },
    { path: 'Dockerfile', content: fill(DOCKERFILE_TEMPLATE) },
  ];
}
