/**
 * @module domain/fqdn
 * Custom domains must be plain ASCII (punycode) FQDNs: labels of 1-63 LDH characters, at most 253
 * in all, at least two labels, a non-numeric top-level label. Trailing dots are dropped.
 */
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function normalizeFqdn(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw invalidInput('domain is required', 'Give a fully qualified name such as "app.example.com"');
  }
  const fqdn = input.trim().toLowerCase().replace(/\.$/, '');
  if (fqdn.length > 253) {
    throw invalidInput('domain is longer than 253 characters', 'Use a shorter domain');
  }
  const labels = fqdn.split('.');
  if (labels.length < 2) {
    throw invalidInput(
      `"${printable(fqdn)}" is not a fully qualified domain`,
      'Include the zone, e.g. "app.example.com"',
    );
  }
  for (const label of labels) {
    if (!LABEL.test(label)) {
      throw invalidInput(
        `"${printable(fqdn)}" has an invalid label "${printable(label)}"`,
        'Use letters, digits and inner hyphens only; write internationalized names in punycode (xn--)',
      );
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) {
    throw invalidInput(`"${printable(fqdn)}" looks like an IP address, not a domain`, 'Give a domain name');
  }
  return fqdn;
}

/** True when `fqdn` is `zone` itself or a name inside it. */
export function isInZone(fqdn: string, zone: string): boolean {
  return fqdn === zone || fqdn.endsWith(`.${zone}`);
}
