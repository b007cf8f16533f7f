/**
 * @module services/access/scope-rules
 * What a scope may call, read off each tool's annotations so a tool added tomorrow is covered the
 * day it lands: `read` calls tools that declare readOnlyHint, `write` adds every tool that is not
 * destructiveHint, `admin` adds the destructive ones (delete_*, undeploy, reconcile's repair).
 */
import type { Scope } from '../../ports/access-store.port.js';

export interface ScopedAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
}

export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** The least scope that may call a tool with these annotations. */
export function scopeNeeded(annotations: ScopedAnnotations): Scope {
  if (annotations.readOnlyHint) return 'read';
  return annotations.destructiveHint ? 'admin' : 'write';
}

export function scopeAllows(scope: Scope, annotations: ScopedAnnotations): boolean {
  return SCOPES.indexOf(scope) >= SCOPES.indexOf(scopeNeeded(annotations));
}
