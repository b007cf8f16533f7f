import { createMemoryDnsProvider } from '../../src/adapters/memory/memory-dns-provider.js';
import { describeDnsProviderContract } from './dns-provider.contract.js';

describeDnsProviderContract('memory', () => {
  const provider = createMemoryDnsProvider('example.test');
  return {
    provider,
    seedForeign: (records) => void provider.seed(records),
    close: () => {},
  };
});
