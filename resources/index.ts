/**
 * Every resource, in the order resources/list shows them.
 */
import type { ResourceDefinition } from '../src/mcp/define-resource.js';
import { operationResource } from './operation.resource.js';
import { projectEventsResource } from './project-events.resource.js';
import { projectReleasesResource } from './project-releases.resource.js';
import { projectResource } from './project.resource.js';
import { projectUsageResource } from './project-usage.resource.js';
import { projectsResource } from './projects.resource.js';
import { serverResource } from './server.resource.js';

export const allResources: readonly ResourceDefinition[] = [
  serverResource,
  projectsResource,
  projectResource,
  projectReleasesResource,
  projectEventsResource,
  projectUsageResource,
  operationResource,
];
