/**
 * @module services/settings/set-env
 * set_env: plain variables and secrets as project state. Plain values are stored and shown by
 * list_env; secret values go only into the cluster Secret `<project>-env` (threesix keeps their
 * names and a keyed digest, never the values). Setting a name of the other kind moves it.
 */
import { validateEnv, validateSettings } from '../../domain/env-vars.js';
import { invalidInput } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import { validateVariableNames, type ProjectSettings } from '../../domain/project-settings.js';
import type { AppContext } from '../shared/app-context.js';
import type { DeployReleaseResult } from '../deploy/deploy-release.service.js';
import { digestSecretValue } from '../deploy/settings-hash.js';
import type { ProgressFn } from '../deploy/watch-rollout.js';
import { applySettings } from './apply-settings.js';

export interface SetEnvInput {
  project: string;
  set?: Record<string, string>;
  secrets?: Record<string, string>;
  unset?: string[];
  /**
   * The project name; needed when the call removes a variable or replaces a value (nothing else can bring the old one
   * back).
   */
  confirm?: string;
  actor: string;
}

export async function setEnv(
  app: AppContext,
  input: SetEnvInput,
  hooks: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<DeployReleaseResult | null> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const set = validateEnv(input.set, 'set');
  const secrets = validateEnv(input.secrets, 'secrets');
  validateSettings(set, secrets);
  const unset = [...new Set(validateVariableNames(input.unset ?? [], 'unset'))];
  const both = unset.filter((name) => Object.hasOwn(set, name) || Object.hasOwn(secrets, name));
  if (both.length)
    throw invalidInput(
      `${both.join(', ')} is both set and unset`,
      'Name each variable in one of set, secrets and unset',
    );
  if (!Object.keys(set).length && !Object.keys(secrets).length && !unset.length)
    throw invalidInput('nothing to change', 'Give set, secrets or unset');
  const digests = Object.fromEntries(
    await Promise.all(Object.entries(secrets).map(async ([k, v]) => [k, await digestSecretValue(app, k, v)] as const)),
  );

  let removedSecrets: string[] = [];
  const change = (s: ProjectSettings): ProjectSettings => {
    const lost = [
      ...unset.filter((name) => Object.hasOwn(s.env, name) || Object.hasOwn(s.secrets, name)),
      ...Object.keys(set).filter(
        (name) => (Object.hasOwn(s.env, name) && s.env[name] !== set[name]) || Object.hasOwn(s.secrets, name),
      ),
      ...Object.keys(digests).filter(
        (name) => Object.hasOwn(s.env, name) || (Object.hasOwn(s.secrets, name) && s.secrets[name] !== digests[name]),
      ),
    ];
    if (lost.length && input.confirm !== project) {
      throw invalidInput(
        `this removes or replaces ${lost.join(', ')}`,
        `Call again with confirm: "${project}" if you mean to; threesix keeps no copy of old values`,
      );
    }
    const env = { ...s.env, ...set };
    const kept = { ...s.secrets, ...digests };
    // A name set plainly stops being a secret (and the other way round): it leaves the Secret.
    removedSecrets = Object.keys(s.secrets).filter((name) => unset.includes(name) || Object.hasOwn(set, name));
    for (const name of [...unset, ...Object.keys(secrets)]) delete env[name];
    for (const name of removedSecrets) delete kept[name];
    return { ...s, env, envManaged: true, secrets: kept };
  };
  // The change runs under the deploy lock, so the names to remove are known only then: the getter reads them at apply
  // time.
  const secretChanges = {
    set: secrets,
    get unset() {
      return removedSecrets;
    },
  };
  const audit = { action: 'settings.set_env', detail: { set: Object.keys(set), secrets: Object.keys(secrets), unset } };
  return applySettings(app, { project, change, secretChanges, actor: input.actor, audit }, hooks);
}
