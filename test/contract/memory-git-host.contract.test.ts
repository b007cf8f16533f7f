import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import { describeGitHostContract } from './git-host.contract.js';

describeGitHostContract('memory', () => ({
  host: new MemoryGitHost({ users: ['alice'] }),
  existingUser: 'alice',
}));
