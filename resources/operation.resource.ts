import { defineResource } from '../src/mcp/define-resource.js';
import { getOperation } from '../src/services/operations/operation-view.js';

export const operationResource = defineResource({
  name: 'operation',
  title: 'Operation',
  description:
    'One create_project or delete_project operation: each step with its status, the ids it produced and its error. retry_operation resumes a failed one.',
  uri: 'threesix://operations/{id}',
  read: async (app, _uri, { id }) => getOperation(app, id ?? ''),
});
