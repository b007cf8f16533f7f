/**
 * @module ports/dns-provider
 * DNS records in the zone DEFAULT_DOMAIN, with ownership.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface DnsProvider extends BackendProbe {}
