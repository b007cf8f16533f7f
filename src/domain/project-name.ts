/**
 * @module domain/project-name
 * Project names become a DNS label, a Gitea repository, a Kubernetes object name and an image path,
 * so they obey the strictest of those: an RFC 1035 label of at most 40 characters (room for
 * suffixes such as `-tls` within 63), no `--` (IDNA `xn--` look-alikes), never a platform name.
 */
import { invalidInput } from './errors.js';
import { RESERVED_LABELS } from './reserved-hosts.js';

export const PROJECT_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Names a project never gets: its address `<name>.<zone>` is a platform host (domain/reserved-hosts). */
export const RESERVED_NAMES: readonly string[] = RESERVED_LABELS;

/** Returns the name when valid; throws INVALID_INPUT naming the rule it broke. */
export function validateProjectName(name: string, extraReserved: readonly string[] = []): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidInput('project name is required', 'Use a lowercase DNS label such as "my-app"');
  }
  if (name.length > 40) {
    throw invalidInput(`project name is ${name.length} characters; the limit is 40`, 'Use a shorter name');
  }
  if (!PROJECT_NAME_PATTERN.test(name)) {
    throw invalidInput(
      `project name "${printable(name)}" is not a DNS label`,
      'Use 1-40 characters a-z, 0-9 and "-", starting with a letter and not ending with "-"',
    );
  }
  if (name.includes('--')) {
    throw invalidInput(`project name "${name}" contains "--"`, 'Use single hyphens only');
  }
  if (RESERVED_NAMES.includes(name) || extraReserved.includes(name)) {
    throw invalidInput(`project name "${name}" is reserved by the platform`, 'Choose another name');
  }
  return name;
}

/** Makes hostile input safe to quote in a message: ASCII only, bounded length. */
export function printable(value: string, max = 60): string {
  const ascii = value.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > max ? `${ascii.slice(0, max)}…` : ascii;
}
