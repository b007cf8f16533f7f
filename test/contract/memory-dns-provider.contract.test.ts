import { createMemoryDnsProvider } from '../../src/adapters/memory/memory-dns-provider.js';
import { describeDnsProviderContract } from './dns-provider.contract.js';

describeDnsProviderContract('memory', async () => {
  const provider = createMemoryDnsProvider('example.test');
  return {
    provider,
    seedForeign: async (records) => void provider.seed(records),
    close: async () => {},
  };
});
