/**
 * @module domain/project-settings
 * What a project runs with besides its image, kept as project state so that every later release
 * (deploy, CI webhook, rollback, automatic rollback) applies the same settings: plain variables,
 * the names of its secret variables (their values live only in the cluster Secret `<project>-env`),
 * the HTTP health path, CPU and memory limits and the container port. (A database's DATABASE_URL
 * is wired by the deployer from the database's own Secret, not kept here.)
 */
import { ENV_NAME_PATTERN } from './env-vars.js';
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';

export interface ProjectSettings {
  /** Plain variables, shown by list_env. */
  env: Record<string, string>;
  /**
   * Whether `env` is the whole plain environment (set by set_env or a deploy that gave env). Until
   * then releases keep the env the Deployment has, so configure on a project deployed before
   * settings existed does not wipe env that only the cluster holds.
   */
  envManaged: boolean;
  /**
   * Secret variables by name, each mapped to a keyed HMAC of its value (services/settings-hash):
   * the values live only in the project's env Secret. The digest lets a release's envHash change
   * when a secret does, and setting the same value again change nothing. Never shown.
   */
  secrets: Record<string, string>;
  /** HTTP readiness and liveness probe path; null keeps the TCP readiness check. */
  healthCheckPath: string | null;
  /** CPU limit, e.g. "500m"; null: the operator's DEPLOY_CPU_LIMIT. */
  cpu: string | null;
  /** Memory limit, e.g. "512Mi"; null: the operator's DEPLOY_MEMORY_LIMIT. */
  memory: string | null;
  /** Container port; null: the port of the release (8080 by default). */
  port: number | null;
}

export const EMPTY_SETTINGS: ProjectSettings = {
  env: {},
  envManaged: false,
  secrets: {},
  healthCheckPath: null,
  cpu: null,
  memory: null,
  port: null,
};

/** Every variable name the settings define, whichever kind. */
export function variableNames(s: ProjectSettings): string[] {
  return [...Object.keys(s.env), ...Object.keys(s.secrets)];
}

export const MAX_VARIABLES = 100;

export function validateVariableNames(names: string[], what: string): string[] {
  for (const name of names) {
    if (typeof name !== 'string' || !ENV_NAME_PATTERN.test(name) || name.length > 128) {
      throw invalidInput(
        `${what} name "${printable(String(name))}" is invalid`,
        'Use upper-case letters, digits and "_", not starting with a digit',
      );
    }
  }
  return names;
}

/** An absolute URL path without query tricks or whitespace, as an httpGet probe takes it. */
export function validateHealthCheckPath(path: string): string | null {
  if (path === '') return null;
  if (path.length > 256 || !/^\/[A-Za-z0-9\-._~/%!$&'()*+,;=:@?]*$/.test(path)) {
    throw invalidInput(
      `healthCheckPath "${printable(path.slice(0, 80))}" is not a URL path`,
      'Give a path such as /healthz (at most 256 characters), or "" for the TCP check',
    );
  }
  return path;
}

const CPU_PATTERN = /^([0-9]+(?:\.[0-9]{1,3})?)(m?)$/;
const MEMORY_UNITS: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, K: 1e3, M: 1e6, G: 1e9 };
const MEMORY_PATTERN = /^([0-9]+)(Ki|Mi|Gi|K|M|G)?$/;

/** Kubernetes CPU quantity ("250m", "1", "1.5") in millicores; null when it is not one. */
export function cpuMillicores(quantity: string): number | null {
  const m = CPU_PATTERN.exec(quantity);
  if (!m) return null;
  return m[2] === 'm' ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
}

/** Kubernetes memory quantity ("512Mi", "1Gi", "300M") in bytes; null when it is not one. */
export function memoryBytes(quantity: string): number | null {
  const m = MEMORY_PATTERN.exec(quantity);
  return m ? Number(m[1]) * MEMORY_UNITS[m[2] ?? '']! : null;
}

// Below these a container rarely starts at all: an agent's typo ("512" for 512Mi) should fail here,
// not as an OOMKill loop.
const MIN_CPU_MILLICORES = 10;
const MIN_MEMORY_BYTES = 16 * 1024 ** 2;

export function validateCpu(cpu: string, max: string): string {
  const value = cpuMillicores(cpu);
  const limit = cpuMillicores(max)!;
  if (value === null || value < MIN_CPU_MILLICORES || value > limit) {
    throw invalidInput(
      `cpu "${printable(cpu.slice(0, 40))}" must be a CPU quantity from 10m to ${max}`,
      `Use millicores such as "250m" or cores such as "1"; the operator sets the maximum with THREESIX_MAX_CPU`,
    );
  }
  return cpu;
}

export function validateMemory(memory: string, max: string): string {
  const value = memoryBytes(memory);
  const limit = memoryBytes(max)!;
  if (value === null || value < MIN_MEMORY_BYTES || value > limit) {
    throw invalidInput(
      `memory "${printable(memory.slice(0, 40))}" must be a memory quantity from 16Mi to ${max}`,
      'Use a quantity such as "512Mi" or "1Gi"; the operator sets the maximum with THREESIX_MAX_MEMORY',
    );
  }
  return memory;
}
