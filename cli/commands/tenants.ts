import { allowRedirectUri, createTenant, listRedirectUris, listTenants, removeRedirectUri } from '../../hub/index.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { withHub } from '../with-hub.ts';

export const tenantsCreate: Command = {
  name: 'tenants create',
  usage: 'calhub tenants create <name> [--json]',
  summary: 'Create a tenant and print its API key (shown once; stored hashed)',
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const name = positionals[0]?.trim();
    if (!name) throw new ValidationError('tenants create needs a name: calhub tenants create <name>');
    return withHub({}, async (hub) => {
      const { tenant, apiKey } = await createTenant(hub, name);
      print(Boolean(values.json), { id: tenant.id, name: tenant.name, apiKey }, () => `tenant ${tenant.id} (${tenant.name})\nAPI key (shown once): ${apiKey}`);
      return EXIT.OK;
    });
  },
};

export const tenantsList: Command = {
  name: 'tenants list',
  usage: 'calhub tenants list [--json]',
  summary: 'List tenants',
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    return withHub({}, async (hub) => {
      const list = await listTenants(hub);
      print(Boolean(values.json), list, () => table([['ID', 'NAME', 'CREATED'], ...list.map((t) => [t.id, t.name, t.createdAt])]));
      return EXIT.OK;
    });
  },
};

export const tenantsAllowRedirect: Command = {
  name: 'tenants allow-redirect',
  usage: 'calhub tenants allow-redirect <tenantId> <uri> [--remove] [--json]',
  summary: "Put a redirect URI on the tenant's allow-list for connections (exact match; https, or http for localhost); --remove takes it off",
  options: { remove: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [tenantId, uri] = positionals;
    if (!tenantId || !uri) throw new ValidationError('usage: calhub tenants allow-redirect <tenantId> <uri> [--remove]');
    return withHub({}, async (hub) => {
      const { uris } = values.remove ? await removeRedirectUri(hub, tenantId, uri) : await allowRedirectUri(hub, tenantId, uri);
      print(Boolean(values.json), { tenantId, uris }, () => `redirect URIs of ${tenantId}:\n${uris.join('\n') || '(none)'}`);
      return EXIT.OK;
    });
  },
};

export const tenantsRedirects: Command = {
  name: 'tenants redirects',
  usage: 'calhub tenants redirects <tenantId> [--json]',
  summary: "The tenant's redirect-URI allow-list",
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = positionals[0];
    if (!tenantId) throw new ValidationError('usage: calhub tenants redirects <tenantId>');
    return withHub({}, async (hub) => {
      const { uris } = await listRedirectUris(hub, tenantId);
      print(Boolean(values.json), { tenantId, uris }, () => uris.join('\n') || '(none)');
      return EXIT.OK;
    });
  },
};
