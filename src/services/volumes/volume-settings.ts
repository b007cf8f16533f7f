/**
 * @module services/volumes/volume-settings
 * What add_volume accepts: an absolute mount path that is not the root or a system directory the
 * image needs, and a size within THREESIX_MAX_VOLUME.
 */
import { invalidInput } from '../../domain/errors.js';
import { mebibytes } from '../databases/database-settings.js';

/** Mounting over these would hide the image's own files (or the kernel's). */
const SYSTEM_ROOTS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr'];

export function validateMountPath(path: string): string {
  const shown = JSON.stringify(path.slice(0, 80));
  if (
    !/^\/[A-Za-z0-9._\-/]{1,200}$/.test(path) ||
    path.split('/').some((part) => part === '..' || part === '.') ||
    /\/\/|\/$/.test(path)
  ) {
    throw invalidInput(
      `path ${shown} is not an absolute directory path`,
      'Give a path such as /data (letters, digits, . _ - and /; no trailing slash, no . or ..)',
    );
  }
  if (SYSTEM_ROOTS.some((root) => path === root || path.startsWith(`${root}/`)))
    throw invalidInput(
      `path ${shown} is a system directory of the image`,
      'Mount the volume at your own directory, such as /data',
    );
  return path;
}

export function validateVolumeSize(size: string, max: string): string {
  const wanted = mebibytes(size);
  if (wanted === null)
    throw invalidInput(
      `size "${size.slice(0, 20)}" is not a storage size`,
      'Give a whole number with Mi, Gi or Ti, e.g. 1Gi',
    );
  if (wanted > mebibytes(max)!)
    throw invalidInput(
      `size ${size} is above the operator's limit of ${max}`,
      `Ask for at most ${max} (THREESIX_MAX_VOLUME)`,
    );
  return size;
}
