import { defineResource } from '../src/mcp/define-resource.js';
import { serverInfo } from '../src/services/shared/server-info.service.js';

export const serverResource = defineResource({
  name: 'server',
  title: 'threesix server',
  description:
    'Version, zone, read-only mode and each backend: configured for real, simulated by the sandbox, or absent. Never contains a secret.',
  uri: 'threesix://server',
  read: (app) => Promise.resolve(serverInfo(app)),
});
