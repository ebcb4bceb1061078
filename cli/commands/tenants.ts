import { ValidationError } from '../../shared/errors.ts';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';
import { print, table } from '../output.ts';
import { readSecret, secretOptions } from '../password.ts';
import { withHub } from '../with-hub.ts';
import { summaryOf } from './summaries.ts';

// Loaded by a command that runs, not by its --help (~0.7 s of CPU: the hub and every package it uses).
const hubApi = () => import('../../hub/index.ts');

export const tenantsCreate: Command = {
  name: 'tenants create',
  usage: 'calhub tenants create <name> [--json]',
  summary: summaryOf('tenants create'),
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const name = positionals[0]?.trim();
    if (!name) throw new ValidationError('tenants create needs a name: calhub tenants create <name>');
    return withHub({}, async (hub) => {
      const { tenant, apiKey } = await (await hubApi()).createTenant(hub, name);
      print(Boolean(values.json), { id: tenant.id, name: tenant.name, apiKey }, () => `tenant ${tenant.id} (${tenant.name})\nAPI key (shown once): ${apiKey}`);
      return EXIT.OK;
    });
  },
};

export const tenantsList: Command = {
  name: 'tenants list',
  usage: 'calhub tenants list [--json]',
  summary: summaryOf('tenants list'),
  options: { json: { type: 'boolean' } },
  async run({ values }) {
    return withHub({}, async (hub) => {
      const list = await (await hubApi()).listTenants(hub);
      print(Boolean(values.json), list, () => table([['ID', 'NAME', 'CREATED'], ...list.map((t) => [t.id, t.name, t.createdAt])]));
      return EXIT.OK;
    });
  },
};

export const tenantsAllowRedirect: Command = {
  name: 'tenants allow-redirect',
  usage: 'calhub tenants allow-redirect <tenantId> <uri> [--remove] [--json]',
  summary: summaryOf('tenants allow-redirect'),
  options: { remove: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [tenantId, uri] = positionals;
    if (!tenantId || !uri) throw new ValidationError('usage: calhub tenants allow-redirect <tenantId> <uri> [--remove]');
    return withHub({}, async (hub) => {
      const { uris } = values.remove ? await (await hubApi()).removeRedirectUri(hub, tenantId, uri) : await (await hubApi()).allowRedirectUri(hub, tenantId, uri);
      print(Boolean(values.json), { tenantId, uris }, () => `redirect URIs of ${tenantId}:\n${uris.join('\n') || '(none)'}`);
      return EXIT.OK;
    });
  },
};

const CLIENT_SECRET = { what: 'client secret', flag: 'client-secret', env: 'CALHUB_OAUTH_CLIENT_SECRET' };

export const tenantsOAuthApp: Command = {
  name: 'tenants oauth-app',
  usage: 'calhub tenants oauth-app <tenantId> google|microsoft [--client-id ID | --retired-client-id ID] [--client-secret-stdin | --client-secret-file F] [--remove] [--json]',
  summary: summaryOf('tenants oauth-app'),
  options: { 'client-id': { type: 'string' }, 'retired-client-id': { type: 'string' }, ...secretOptions('client-secret'), remove: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const [tenantId, provider] = positionals;
    if (!tenantId || !provider) throw new ValidationError(`usage: ${tenantsOAuthApp.usage}`);
    const clientId = values['client-id'];
    const retiredId = values['retired-client-id'];
    const secret = await readSecret(CLIENT_SECRET, values);
    if (values.remove && (clientId !== undefined || retiredId !== undefined || secret !== undefined)) throw new ValidationError('--remove takes no --client-id, --retired-client-id or secret');
    if (clientId !== undefined && retiredId !== undefined) throw new ValidationError('--client-id sets the app (new connections use it); --retired-client-id rotates the secret of a replaced client: one at a time');
    if (retiredId !== undefined && secret === undefined) throw new ValidationError('--retired-client-id needs the new secret: --client-secret-stdin, --client-secret-file <path> or CALHUB_OAUTH_CLIENT_SECRET');
    if (clientId === undefined && retiredId === undefined && secret !== undefined) throw new ValidationError('a client secret needs its --client-id (or --retired-client-id for a replaced client)');
    return withHub({}, async (hub) => {
      const api = await hubApi();
      if (values.remove) {
        await api.removeOAuthApp(hub, tenantId, provider);
        print(Boolean(values.json), { tenantId, provider, removed: true }, () => `${provider} OAuth app of ${tenantId} removed; new connections use the configured app`);
        return EXIT.OK;
      }
      const app =
        typeof clientId === 'string' ? await api.setOAuthApp(hub, tenantId, provider, { clientId, clientSecret: secret ?? null })
        : typeof retiredId === 'string' ? await api.setRetiredClientSecret(hub, tenantId, provider, retiredId, { clientSecret: secret ?? null })
        : await api.getOAuthApp(hub, tenantId, provider);
      print(Boolean(values.json), { tenantId, ...app }, () =>
        table([
          ['PROVIDER', 'CLIENT ID', 'SECRET', 'ACCOUNTS'],
          [app.provider, app.clientId, app.hasSecret ? 'stored (encrypted)' : 'none (public client)', String(app.accounts)],
          // Replaced clients still serving the grants they issued (or a sign-in under way).
          ...app.retiredClients.map((r) => [app.provider, `${r.clientId} (replaced, kept for its accounts)`, !r.hasSecret ? 'none (public client)' : r.clientId === retiredId ? 'new one stored (encrypted)' : 'kept (encrypted)', String(r.accounts)]),
        ]),
      );
      return EXIT.OK;
    });
  },
};

export const tenantsRedirects: Command = {
  name: 'tenants redirects',
  usage: 'calhub tenants redirects <tenantId> [--json]',
  summary: summaryOf('tenants redirects'),
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = positionals[0];
    if (!tenantId) throw new ValidationError('usage: calhub tenants redirects <tenantId>');
    return withHub({}, async (hub) => {
      const { uris } = await (await hubApi()).listRedirectUris(hub, tenantId);
      print(Boolean(values.json), { tenantId, uris }, () => uris.join('\n') || '(none)');
      return EXIT.OK;
    });
  },
};

const tenantOption = (v: unknown): string => {
  if (typeof v !== 'string' || !v.trim()) throw new ValidationError('missing --tenant');
  return v.trim();
};

export const apiKeysList: Command = {
  name: 'tenants api-keys list',
  usage: 'calhub tenants api-keys list --tenant <id> [--json]',
  summary: summaryOf('tenants api-keys list'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const tenantId = tenantOption(values.tenant);
    return withHub({}, async (hub) => {
      const keys = await (await hubApi()).listApiKeys(hub, tenantId);
      print(Boolean(values.json), keys, () => table([['ID', 'PREFIX', 'CREATED', 'REVOKED'], ...keys.map((k) => [k.id, `${k.prefix}…`, k.createdAt, k.revokedAt ?? '-'])]));
      return 0;
    });
  },
};

export const apiKeysCreate: Command = {
  name: 'tenants api-keys create',
  usage: 'calhub tenants api-keys create --tenant <id> [--json]',
  summary: summaryOf('tenants api-keys create'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values }) {
    const tenantId = tenantOption(values.tenant);
    return withHub({}, async (hub) => {
      const { key, apiKey } = await (await hubApi()).createApiKey(hub, tenantId);
      print(Boolean(values.json), { ...key, apiKey }, () => `key ${key.id}\nAPI key (shown once): ${apiKey}`);
      return 0;
    });
  },
};

export const apiKeysRevoke: Command = {
  name: 'tenants api-keys revoke',
  usage: 'calhub tenants api-keys revoke <key-id> --tenant <id> [--json]',
  summary: summaryOf('tenants api-keys revoke'),
  options: { tenant: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }) {
    const tenantId = tenantOption(values.tenant);
    const keyId = positionals[0]?.trim();
    if (!keyId) throw new ValidationError('tenants api-keys revoke needs a key id: calhub tenants api-keys revoke <key-id> --tenant <id>');
    return withHub({}, async (hub) => {
      const key = await (await hubApi()).revokeApiKey(hub, tenantId, keyId);
      print(Boolean(values.json), key, () => `key ${key.id} (${key.prefix}…) revoked at ${key.revokedAt}`);
      return 0;
    });
  },
};
