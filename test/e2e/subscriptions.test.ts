/**
 * Resource subscriptions over streamable HTTP with real SDK clients: a client subscribed to a
 * project hears notifications/resources/updated when its state changes (here a custom domain;
 * webhook deploys fire the same app event), a client that did not subscribe hears nothing, and
 * creating a project sends notifications/resources/list_changed.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';
import { connectHttp } from '../support/mcp-clients.js';
import { serveHttp } from '../support/serve-http.js';

const until = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
};

function listen(client: Client) {
  const updated: string[] = [];
  let listChanged = 0;
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void listChanged++);
  return { updated, listChanged: () => listChanged };
}

describe('resource subscriptions over streamable HTTP', () => {
  let lc: LifecycleApp;
  let http: RunningHttp;
  let url: URL;
  beforeAll(async () => {
    lc = await createLifecycleApp();
    lc.app.resolver = { resolve: () => Promise.resolve({ addresses: [], cnames: [] }) };
    http = await serveHttp(lc.app);
    url = new URL(`${http.url}/mcp`);
    await createProject(lc.app, { name: 'shop' });
  });
  afterAll(async () => {
    await http?.close();
  });

  it('declares resources.subscribe and delivers updates only to subscribers', async () => {
    const watcher = await connectHttp(url);
    const bystander = await connectHttp(url);
    try {
      expect(watcher.getServerCapabilities()?.resources).toMatchObject({ subscribe: true, listChanged: true });
      const seen = listen(watcher);
      const unseen = listen(bystander);
      await watcher.subscribeResource({ uri: 'threesix://projects/shop' });
      const added = await watcher.callTool({
        name: 'add_domain',
        arguments: { project: 'shop', domain: 'www.shop.io' },
      });
      expect(added.isError).toBeFalsy();
      expect(await until(() => seen.updated.includes('threesix://projects/shop'))).toBe(true);
      expect(unseen.updated).toEqual([]);
      const doc = JSON.parse(
        ((await watcher.readResource({ uri: 'threesix://projects/shop' })).contents[0] as { text: string }).text,
      ) as { customDomains: string[] };
      expect(doc.customDomains).toEqual(['www.shop.io']);

      await watcher.unsubscribeResource({ uri: 'threesix://projects/shop' });
      // A witness still subscribed hears the next update; by then the watcher would have heard it too.
      const witness = await connectHttp(url);
      try {
        const heard = listen(witness);
        await witness.subscribeResource({ uri: 'threesix://projects/shop' });
        const before = seen.updated.length;
        await watcher.callTool({
          name: 'remove_domain',
          arguments: { project: 'shop', domain: 'www.shop.io', confirm: 'www.shop.io' },
        });
        expect(await until(() => heard.updated.includes('threesix://projects/shop'))).toBe(true);
        expect(seen.updated.length).toBe(before);
      } finally {
        await witness.close();
      }
    } finally {
      await watcher.close();
      await bystander.close();
    }
  });

  it('sends list_changed to every client when a project is created or deleted', async () => {
    const client = await connectHttp(url);
    try {
      const seen = listen(client);
      const created = await client.callTool({ name: 'create_project', arguments: { name: 'blog' } });
      expect(created.isError).toBeFalsy();
      expect(await until(() => seen.listChanged() >= 1)).toBe(true);
      const count = seen.listChanged();
      await client.callTool({ name: 'delete_project', arguments: { project: 'blog', confirm: 'blog' } });
      expect(await until(() => seen.listChanged() > count)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
