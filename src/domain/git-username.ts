/**
 * @module domain/git-username
 * Gitea user names: letters, digits, `-`, `_` and `.`, at most 40, not starting or ending with a
 * separator and without two in a row (Gitea's own rule), so no path or query can ride along.
 */
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';

const USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9])?$/;

export function validateGitUsername(username: string): string {
  if (typeof username !== 'string' || !USERNAME.test(username) || /[-_.]{2}/.test(username)) {
    throw invalidInput(
      `"${printable(username ?? '')}" is not a valid Gitea user name`,
      'Use the user\'s login: letters, digits, "-", "_" and "." (at most 40)',
    );
  }
  return username;
}

export const COLLABORATOR_PERMISSIONS = ['read', 'write', 'admin'] as const;

export function validatePermission(permission: string): (typeof COLLABORATOR_PERMISSIONS)[number] {
  if (!COLLABORATOR_PERMISSIONS.includes(permission as (typeof COLLABORATOR_PERMISSIONS)[number])) {
    throw invalidInput(`permission "${printable(String(permission))}" is unknown`, 'Use read, write or admin');
  }
  return permission as (typeof COLLABORATOR_PERMISSIONS)[number];
}
