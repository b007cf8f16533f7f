import { MemoryCiServer } from '../../src/adapters/memory/memory-ci-server.js';
import { describeCiServerContract } from './ci-server.contract.js';

let nextForgeId = 100;
describeCiServerContract('memory', () => ({
  ci: new MemoryCiServer(),
  forgeRepo: () => {
    const id = nextForgeId++;
    return { id, fullName: `threesix/contract-${id}` };
  },
}));
