import { type Command, JSON_FLAG, json, positional, readJsonObject, stringFlag } from '../command.js';
import { table } from '../output.js';

export const sourceCreate: Command = {
  name: 'source create',
  summary: 'create a source from a published connector and a config file',
  details: 'Secret fields of the config (airbyte_secret in the spec) are stored encrypted, apart from the rest.',
  flags: {
    name: { type: 'string', required: true, value: 'name', help: 'source name' },
    connector: { type: 'string', required: true, value: 'name[@version]', help: 'published connector; a version pins it, default latest' },
    config: { type: 'string', required: true, value: 'config.json', help: 'the connector config (JSON)' },
    docker: { type: 'string', value: 'image', help: 'run the source as this Airbyte image instead of in-process' },
  },
  async run(ctx) {
    const config = await readJsonObject(stringFlag(ctx, 'config') as string, 'config');
    const image = stringFlag(ctx, 'docker');
    const source = await ctx.workspace.createSource({
      name: stringFlag(ctx, 'name') as string,
      connector: stringFlag(ctx, 'connector') as string,
      config,
      runtime: image ? { type: 'docker', image } : { type: 'in-process' },
    });
    ctx.io.stdout.write(`Created source ${source.name} (${source.id}) from ${source.connector.name}@${source.connector.version}\n`);
    return 0;
  },
};

export const sources: Command = {
  name: 'sources',
  summary: 'list sources (secret fields masked)',
  flags: { json: JSON_FLAG },
  async run(ctx) {
    const list = await ctx.workspace.listSources();
    if (ctx.args.flags.json) {
      const shown = [];
      for (const source of list) shown.push({ ...source, config: await ctx.workspace.maskedSourceConfig(source.id) });
      json(ctx, shown);
      return 0;
    }
    if (list.length === 0) {
      ctx.io.stdout.write('No sources yet. Create one with `manifold source create --help`.\n');
      return 0;
    }
    const rows = list.map((s) => [
      s.name,
      `${s.connector.name}@${s.connector.version}`,
      s.runtime.type === 'docker' ? `docker ${s.runtime.image}` : 'in-process',
      s.id,
    ]);
    ctx.io.stdout.write(`${table(['NAME', 'CONNECTOR', 'RUNTIME', 'ID'], rows)}\n`);
    return 0;
  },
};

export const sourceDelete: Command = {
  name: 'source delete',
  positionals: '<source>',
  summary: 'delete a source and its secrets',
  flags: {},
  async run(ctx) {
    const name = positional(ctx, 'the source name or id', 'manifold source delete <source>');
    await ctx.workspace.deleteSource(name);
    ctx.io.stdout.write(`Deleted source ${name}\n`);
    return 0;
  },
};
