/**
 * @module sandbox/gitea/routes-misc
 * Server, user and organization endpoints: /version, /user, /orgs/{org},
 * /users/{username}/orgs/{org}/permissions.
 */
import { Hono } from 'hono';
import { apiError, type GiteaContext } from './gitea-app.js';
import { renderOrg, renderUser } from './gitea-render.js';

export const GITEA_VERSION = '1.25.3';

export function miscRoutes(ctx: GiteaContext): Hono {
  const app = new Hono();
  app.get('/version', (c) => c.json({ version: GITEA_VERSION }));
  app.get('/user', (c) => c.json(renderUser(ctx.site, ctx.admin)));
  app.get('/orgs/:org', (c) => {
    const org = ctx.state.org(c.req.param('org'));
    return org ? c.json(renderOrg(ctx.site, org)) : apiError(c, ctx, 404, "The target couldn't be found.");
  });
  app.get('/users/:username/orgs/:org/permissions', (c) => {
    const user = ctx.state.user(c.req.param('username'));
    const org = ctx.state.org(c.req.param('org'));
    if (!user || !org) return apiError(c, ctx, 404, "The target couldn't be found.");
    // The token's user owns every organization of the stand-in; everyone else only reads.
    const owner = user.id === ctx.admin.id;
    return c.json({ is_owner: owner, is_admin: owner, can_write: owner, can_read: true, can_create_repository: owner });
  });
  return app;
}
