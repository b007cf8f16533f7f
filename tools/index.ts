/**
 * Every tool, in the order tools/list shows them. Explicit on purpose: no self-registration.
 */
import type { AnyTool } from '../src/mcp/define-tool.js';
import { addCollaboratorTool } from './add-collaborator.tool.js';
import { addDeployKeyTool } from './add-deploy-key.tool.js';
import { addDomainTool } from './add-domain.tool.js';
import { configureTool } from './configure.tool.js';
import { buildLogsTool } from './build-logs.tool.js';
import { addVolumeTool } from './add-volume.tool.js';
import { createDatabaseTool } from './create-database.tool.js';
import { createProjectTool } from './create-project.tool.js';
import { createRepoTool } from './create-repo.tool.js';
import { deleteDatabaseTool } from './delete-database.tool.js';
import { removeVolumeTool } from './remove-volume.tool.js';
import { deleteDnsTool } from './delete-dns.tool.js';
import { deleteProjectTool } from './delete-project.tool.js';
import { deleteRepoTool } from './delete-repo.tool.js';
import { deployStatusTool } from './deploy-status.tool.js';
import { deployTool } from './deploy.tool.js';
import { getProjectTool } from './get-project.tool.js';
import { getRepoTool } from './get-repo.tool.js';
import { listBuildsTool } from './list-builds.tool.js';
import { listDnsTool } from './list-dns.tool.js';
import { listEnvTool } from './list-env.tool.js';
import { listProjectsTool } from './list-projects.tool.js';
import { listReleasesTool } from './list-releases.tool.js';
import { logsTool } from './logs.tool.js';
import { rebuildTool } from './rebuild.tool.js';
import { reconcileTool } from './reconcile.tool.js';
import { removeDomainTool } from './remove-domain.tool.js';
import { restartTool } from './restart.tool.js';
import { retryOperationTool } from './retry-operation.tool.js';
import { rollbackTool } from './rollback.tool.js';
import { scaleTool } from './scale.tool.js';
import { setEnvTool } from './set-env.tool.js';
import { undeployTool } from './undeploy.tool.js';
import { upsertDnsTool } from './upsert-dns.tool.js';

export const allTools: readonly AnyTool[] = [
  listProjectsTool,
  getProjectTool,
  createRepoTool,
  getRepoTool,
  addCollaboratorTool,
  addDeployKeyTool,
  deleteRepoTool,
  listDnsTool,
  upsertDnsTool,
  deleteDnsTool,
  deployTool,
  deployStatusTool,
  logsTool,
  scaleTool,
  setEnvTool,
  listEnvTool,
  configureTool,
  restartTool,
  rollbackTool,
  listReleasesTool,
  listBuildsTool,
  buildLogsTool,
  rebuildTool,
  undeployTool,
  createDatabaseTool,
  deleteDatabaseTool,
  addVolumeTool,
  removeVolumeTool,
  createProjectTool,
  deleteProjectTool,
  retryOperationTool,
  addDomainTool,
  removeDomainTool,
  reconcileTool,
];
