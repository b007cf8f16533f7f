/**
 * @module domain/special-use-zone
 * Zones no public resolver answers for (RFC 6761 and 6762, RFC 8375, ICANN's .internal): names
 * in them can only be checked against the provider's API, never by resolving them.
 */
const SPECIAL_USE_ZONES = ['test', 'localhost', 'invalid', 'example', 'local', 'internal', 'home.arpa'];

export function isSpecialUseZone(zone: string): boolean {
  return SPECIAL_USE_ZONES.some((suffix) => zone === suffix || zone.endsWith(`.${suffix}`));
}
