/**
 * @module main/catalog
 * The tools, resources and prompts this server offers, filtered by the configuration.
 */
import { allPrompts } from '../../resources/prompts/index.js';
import { allResources } from '../../resources/index.js';
import { allTools } from '../../tools/index.js';
import type { Config } from '../config.js';
import type { Catalog } from '../mcp/create-server.js';
import { selectTools } from '../mcp/select-tools.js';

export function buildCatalog(config: Readonly<Config>): Catalog {
  return { tools: selectTools(allTools, config), resources: allResources, prompts: allPrompts };
}
