import { createTenant, listTenants } from '../../hub/index.ts';
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
