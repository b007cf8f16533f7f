/**
 * @module domain/dns-ownership
 * The ownership mark, like external-dns's TXT registry but kept in the record's own comment so it
 * cannot drift from the record: `threesix:owner=<id>`. A record without the mark is someone else's.
 */

const MARK = /(?:^|\s)threesix:owner=([a-z0-9][a-z0-9-]{0,62})(?=$|\s|;)/;

export function ownerMark(owner: string): string {
  return `threesix:owner=${owner}`;
}

/** The owner a comment names, or null when it carries no mark. */
export function parseOwnerMark(comment: string | null | undefined): string | null {
  if (!comment) return null;
  return MARK.exec(comment)?.[1] ?? null;
}
