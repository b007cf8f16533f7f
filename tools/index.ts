/**
 * Every tool, in the order tools/list shows them. Explicit on purpose: no self-registration.
 */
import type { AnyTool } from '../src/mcp/define-tool.js';
import { getProjectTool } from './get-project.tool.js';
import { listProjectsTool } from './list-projects.tool.js';

export const allTools: readonly AnyTool[] = [listProjectsTool, getProjectTool];
