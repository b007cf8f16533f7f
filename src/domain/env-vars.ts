/**
 * @module domain/env-vars
 * Container environment for deploys. Names follow POSIX shell rules in upper case; values are
 * bounded so a single call cannot push megabytes into a Secret.
 */
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';

export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;
const MAX_VALUE_BYTES = 32 * 1024;
const MAX_ENTRIES = 100;

export function validateEnv(env: Record<string, string> | undefined, what = 'env'): Record<string, string> {
  if (!env) return {};
  const entries = Object.entries(env);
  if (entries.length > MAX_ENTRIES)
    throw invalidInput(`${what} has ${entries.length} entries; the limit is ${MAX_ENTRIES}`);
  for (const [name, value] of entries) {
    if (!ENV_NAME_PATTERN.test(name) || name.length > 128) {
      throw invalidInput(
        `${what} name "${printable(name)}" is invalid`,
        'Use upper-case letters, digits and "_", not starting with a digit',
      );
    }
    if (typeof value !== 'string' || Buffer.byteLength(value) > MAX_VALUE_BYTES) {
      throw invalidInput(`${what} value for ${name} must be a string of at most 32 KiB`);
    }
  }
  return { ...env };
}

// Kubernetes caps a Secret at 1 MiB and an object at ~1.5 MiB; staying well under means the cluster
// never refuses a deploy halfway through (the Secret applied, the Deployment not).
const MAX_SETTINGS_BYTES = 256 * 1024;

/** Env and secrets together: no name in both (the plain value would silently win), bounded in size. */
export function validateSettings(
  env: Record<string, string> | undefined,
  secrets: Record<string, string> | undefined,
): void {
  const both = Object.keys(env ?? {}).filter((name) => Object.hasOwn(secrets ?? {}, name));
  if (both.length)
    throw invalidInput(
      `${both.join(', ')} is in both env and secrets`,
      'Put each variable in env or in secrets, not both',
    );
  const bytes = [...Object.entries(env ?? {}), ...Object.entries(secrets ?? {})].reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v),
    0,
  );
  if (bytes > MAX_SETTINGS_BYTES)
    throw invalidInput(
      `env and secrets total ${Math.ceil(bytes / 1024)} KiB; the limit is ${MAX_SETTINGS_BYTES / 1024} KiB`,
    );
}

export function validateReplicas(replicas: number, max: number): number {
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > max) {
    throw invalidInput(
      `replicas must be an integer from 0 to ${max}`,
      `Choose 0..${max}; the operator sets the maximum with THREESIX_MAX_REPLICAS`,
    );
  }
  return replicas;
}

export function validatePort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidInput('port must be an integer from 1 to 65535');
  }
  return port;
}
