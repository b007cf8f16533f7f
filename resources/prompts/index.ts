/**
 * Every prompt, in the order prompts/list shows them: the plan's /project commands.
 */
import type { AnyPrompt } from '../../src/mcp/define-prompt.js';
import { projectCreatePrompt } from './project-create.prompt.js';
import { projectDeployPrompt } from './project-deploy.prompt.js';
import { projectDomainPrompt } from './project-domain.prompt.js';
import { projectListPrompt } from './project-list.prompt.js';
import { projectStatusPrompt } from './project-status.prompt.js';

export const allPrompts: readonly AnyPrompt[] = [
  projectCreatePrompt,
  projectDeployPrompt,
  projectStatusPrompt,
  projectListPrompt,
  projectDomainPrompt,
];
