import { MemoryCiServer } from '../../src/adapters/memory/memory-ci-server.js';
import { describeCiServerContract } from './ci-server.contract.js';

let nextForgeId = 100;
describeCiServerContract('memory', async () => ({
  ci: new MemoryCiServer(),
  forgeRepo: async () => {
    const id = nextForgeId++;
    return { id, fullName: `threesix/contract-${id}` };
  },
}));
