/**
 * @module domain/image-ref
 * OCI image references as the distribution spec defines them:
 * `[registry[:port]/]path[:tag][@sha256:<64 hex>]`, path components lowercase.
 */
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';

export interface ImageRef {
  /** Registry host with optional port, e.g. `registry.example.com:5000`. */
  registry: string;
  /** Repository path, e.g. `threesix/my-app`. */
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:localhost|[a-z0-9]([a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(?::[0-9]{1,5})?$/i;

export function parseImageRef(input: string): ImageRef {
  const bad = (why: string) =>
    invalidInput(
      `image "${printable(input)}" is not a valid OCI reference: ${why}`,
      'Use registry/path:tag or registry/path@sha256:<digest>',
    );
  if (typeof input !== 'string' || input.length === 0 || input.length > 512) throw bad('empty or too long');
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad('digest must be sha256:<64 hex>');
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad('invalid tag');
  }
  const parts = rest.split('/');
  if (parts.length < 2) throw bad('a registry host is required');
  const registry = parts[0]!;
  if (!HOST.test(registry) || !(registry.includes('.') || registry.includes(':') || registry === 'localhost')) {
    throw bad('the first component must be a registry host');
  }
  const path = parts.slice(1);
  if (path.some((component) => !COMPONENT.test(component)))
    throw bad('path components must be lowercase alphanumerics and separators');
  return { registry: registry.toLowerCase(), repository: path.join('/'), tag, digest };
}

/** Strips a scheme and trailing slash so `https://reg.example.com/` compares equal to `reg.example.com`. */
export function registryHost(url: string): string {
  return url
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}
