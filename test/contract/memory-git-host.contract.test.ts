import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import { describeGitHostContract } from './git-host.contract.js';

describeGitHostContract('memory', async () => ({
  host: new MemoryGitHost({ users: ['alice'] }),
  existingUser: 'alice',
}));
