/**
 * @module services/access/authorize-call
 * The one check every tool call of a token passes before the tool runs. Scope is read off the
 * tool's annotations (scope-rules.ts); the project a call is about is its `project` argument, or
 * `name` for the project tools (create_project, delete_project), so tools added later are covered
 * by the same rule. A project-bound token:
 * - gets NOT_FOUND for a project outside its patterns, worded as for a project that does not
 *   exist, except create_project, where the name is the caller's own choice: PERMISSION_DENIED;
 * - may call a tool that names no project only when the tool is closed-world (openWorldHint false:
 *   it reads threesix's own database, which its session sees filtered); tools that reach a backend
 *   directly without naming a project (list_dns, retry_operation by id, reconcile of everything)
 *   would show or touch other projects, so they are refused.
 */
import { permissionDenied } from '../../domain/errors.js';
import type { AppContext } from '../shared/app-context.js';
import type { AccessIdentity } from './identity.js';
import { matchesProjectPatterns } from './project-patterns.js';
import { assertUnderProjectLimit, CREATES_PROJECT } from './project-quota.js';
import { projectNotFound } from './scoped-app.js';
import { scopeAllows, scopeNeeded } from './scope-rules.js';

export interface CallShape {
  name: string;
  toolset: string;
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; openWorldHint: boolean };
  /** Names of the tool's input fields. */
  inputFields: readonly string[];
}

/** The project a call is about, if its tool takes one. */
export function targetProject(tool: CallShape, input: Record<string, unknown>): string | undefined {
  const value = tool.inputFields.includes('project')
    ? input.project
    : tool.toolset === 'project' && tool.inputFields.includes('name')
      ? input.name
      : undefined;
  return typeof value === 'string' ? value : undefined;
}

export const scopeRefusal = (identity: AccessIdentity, tool: Pick<CallShape, 'name' | 'annotations'>) =>
  permissionDenied(
    `token "${identity.name}" has scope ${identity.scope}; ${tool.name} needs ${scopeNeeded(tool.annotations)}`,
    'Ask the operator for a token with that scope',
  );

export async function authorizeCall(
  app: AppContext,
  identity: AccessIdentity,
  tool: CallShape,
  input: Record<string, unknown>,
): Promise<void> {
  if (!scopeAllows(identity.scope, tool.annotations)) throw scopeRefusal(identity, tool);
  const project = targetProject(tool, input);
  if (identity.projects.length > 0) {
    if (project === undefined && tool.annotations.openWorldHint) {
      throw permissionDenied(
        `${tool.name} without a project is not open to token "${identity.name}", which is limited to projects ${identity.projects.join(', ')}`,
        'Name one of your projects, or ask the operator',
      );
    }
    if (project !== undefined && !matchesProjectPatterns(identity.projects, project)) {
      if (tool.name !== CREATES_PROJECT) throw projectNotFound(project);
      throw permissionDenied(
        `token "${identity.name}" may create only projects matching ${identity.projects.join(', ')}`,
        'Choose a name that matches',
      );
    }
  }
  // A fast refusal; the count that decides is taken again under the token's lock (project-quota.ts).
  if (tool.name === CREATES_PROJECT) await assertUnderProjectLimit(app, identity);
}

/** After create_project: the caller owns the project (kept when it already had an owner). */
export async function recordOwner(
  app: AppContext,
  identity: AccessIdentity,
  tool: CallShape,
  input: Record<string, unknown>,
): Promise<void> {
  const project = targetProject(tool, input);
  if (tool.name === CREATES_PROJECT && project !== undefined && identity.source !== 'operator')
    await app.store.access.claimProject(project, identity.name);
}
