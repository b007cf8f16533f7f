/**
 * @module mcp/define-resource
 * Resources are JSON documents read from the state store. A resource is either a fixed URI or a
 * URI template with a list callback and completions for its variables.
 */
import type { AppContext } from '../services/shared/app-context.js';

export interface ResourceListing {
  uri: string;
  name: string;
  description?: string;
}

export interface ResourceDefinition {
  name: string;
  title: string;
  description: string;
  /** A fixed URI such as `threesix://server`, or a template such as `threesix://projects/{name}`. */
  uri: string;
  /** For templates: what concrete resources exist now. */
  list?(app: AppContext): Promise<ResourceListing[]>;
  /** For templates: completions per variable, given the prefix typed so far. */
  complete?: Record<string, (app: AppContext, prefix: string) => Promise<string[]>>;
  /** Returns the JSON document; throws NOT_FOUND (a DomainError) when the target does not exist. */
  read(app: AppContext, uri: URL, variables: Record<string, string>): Promise<unknown>;
}

export function defineResource(resource: ResourceDefinition): ResourceDefinition {
  return resource;
}

export const isTemplate = (uri: string) => uri.includes('{');
