/**
 * @module services/settings/deploy-settings
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * How one release changes a project's settings: a deploy's env, secrets and port replace the
 * stored ones (they are the project's from then on), then set_env's or configure's change runs.
 * A project without settings gets them only when something is given; until then its releases keep
 * what the cluster runs (the old behaviour, so an upgrade does not wipe env held only there).
 */
import { EMPTY_SETTINGS, MAX_VARIABLES, variableNames, type ProjectSettings } from '../../domain/project-settings.js';
import { invalidInput } from '../../domain/errors.js';

export interface DeploySettingsInput {
  env?: Record<string, string>;
  /** Secret name → digest of its value, when the deploy replaces all secrets. */
  secretDigests?: Record<string, string>;
  port?: number;
  change?: (settings: ProjectSettings) => ProjectSettings;
}

export interface DeploySettingsPlan {
  settings: ProjectSettings | undefined;
  /** Whether the settings differ from the stored ones (and must be written). */
  changed: boolean;
  /** Secret names a deploy's plain env now defines: removed from the env Secret too. */
  dropSecrets: string[];
}

export function deploySettings(stored: ProjectSettings | undefined, input: DeploySettingsInput): DeploySettingsPlan {
  const gives = input.env !== undefined || input.secretDigests !== undefined || input.change !== undefined;
  if (!stored && !gives) return { settings: undefined, changed: false, dropSecrets: [] };
  let next: ProjectSettings = structuredClone(stored ?? EMPTY_SETTINGS);
  let dropSecrets: string[] = [];
  if (input.secretDigests !== undefined) next.secrets = { ...input.secretDigests };
  if (input.env !== undefined) {
    next.env = { ...input.env };
    next.envManaged = true;
    dropSecrets = Object.keys(next.secrets).filter((name) => Object.hasOwn(next.env, name));
    for (const name of dropSecrets) delete next.secrets[name];
  }
  if (input.port !== undefined) next.port = input.port;
  if (input.change) next = input.change(next);
  const count = variableNames(next).length;
  if (count > MAX_VARIABLES)
    throw invalidInput(
      `the project would have ${count} variables; the limit is ${MAX_VARIABLES}`,
      'Unset variables it no longer needs (set_env unset)',
    );
  next = { ...next, env: sortedKeys(next.env), secrets: sortedKeys(next.secrets) };
  return {
    settings: next,
    changed:
      !stored ||
      JSON.stringify(next) !==
        JSON.stringify({ ...stored, env: sortedKeys(stored.env), secrets: sortedKeys(stored.secrets) }),
    dropSecrets,
  };
}

/** Same entries in name order, so equal settings serialise equally whatever order they were set in. */
function sortedKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]!]),
  );
}
