/**
 * @module ports/name-resolver
 * Public DNS resolution, to tell an owner whether their custom domain already points at us.
 */
export interface Resolution {
  /** A records (IPv4), possibly after following CNAMEs. */
  addresses: string[];
  /** CNAME targets at the name, lowercase, without the trailing dot. */
  cnames: string[];
}

export interface NameResolver {
  /** Never throws for "no such name": that is an empty resolution. Bounded in time by the adapter. */
  resolve(fqdn: string): Promise<Resolution>;
}
