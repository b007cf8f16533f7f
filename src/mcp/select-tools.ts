/**
 * @module mcp/select-tools
 * Which tools a server exposes: read-only mode keeps only tools that declare `readOnlyHint`, and a
 * toolset list keeps only those toolsets. The annotations decide, so the rule cannot drift from them.
 */
import type { Config } from '../config.js';
import type { AnyTool } from './define-tool.js';

export function selectTools(
  tools: readonly AnyTool[],
  config: Pick<Config, 'THREESIX_READ_ONLY' | 'THREESIX_TOOLSETS'>,
): AnyTool[] {
  return tools.filter((tool) => {
    if (config.THREESIX_READ_ONLY && !tool.annotations.readOnlyHint) return false;
    if (config.THREESIX_TOOLSETS.length > 0 && !config.THREESIX_TOOLSETS.includes(tool.toolset)) return false;
    return true;
  });
}
