/**
 * @module domain/redact-secrets
 * Log text comes from the workload, which may print its own secrets; known values are blanked
 * before any tool shows it.
 */

/** Replaces each known secret value (4+ characters; shorter ones would mangle ordinary text). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const value of secrets.filter((v) => v.length >= 4).sort((a, b) => b.length - a.length))
    out = out.split(value).join('[REDACTED]');
  return out;
}
