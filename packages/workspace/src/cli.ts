/**
 * The manifold CLI: `manifold <command> [flags]`. Each subcommand has --help; every error says
 * what went wrong and what to do, on stderr, with a non-zero exit code.
 */
import { isRuntimeError } from '@manifold/runtime';
import { type FlagSpec, flagsHelp, parseArgs } from './cli/args.js';
import type { CliIO, Command } from './cli/command.js';
import { connectionCreate, connectionDelete, connections } from './cli/commands/connections.js';
import { connectors, publish } from './cli/commands/connectors.js';
import { destinationCreate, destinationDelete, destinations } from './cli/commands/destinations.js';
import { sourceCreate, sourceDelete, sources } from './cli/commands/sources.js';
import { history, reset, state, sync } from './cli/commands/syncs.js';
import { isWorkspaceError } from './errors.js';
import { scheduler } from './schedule/scheduler-command.js';
import { type WorkspaceOptions, defaultWorkspaceDir, openWorkspace } from './workspace.js';

export const COMMANDS: Command[] = [
  publish,
  connectors,
  sourceCreate,
  sources,
  sourceDelete,
  destinationCreate,
  destinations,
  destinationDelete,
  connectionCreate,
  connections,
  connectionDelete,
  sync,
  history,
  state,
  reset,
  scheduler,
];

const WORKSPACE_FLAG: FlagSpec = { type: 'string', value: 'dir', help: 'the workspace directory' };

const GROUPS = new Set(['source', 'destination', 'connection']);

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => usageOf(c).length));
  return `usage: manifold <command> [flags] [--workspace <dir>]

Sources, destinations, connections and syncs in a local workspace
(default: $MANIFOLD_WORKSPACE or ~/.manifold/workspace).

Commands:
${COMMANDS.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`).join('\n')}

Run \`manifold <command> --help\` for its flags.
`;
}

function usageOf(command: Command): string {
  return `${command.name}${command.positionals ? ` ${command.positionals}` : ''}`;
}

function commandHelp(command: Command): string {
  const flags = flagsHelp({ ...command.flags, workspace: WORKSPACE_FLAG });
  return `usage: manifold ${usageOf(command)} [flags]\n\n${command.summary}\n${command.details ? `\n${command.details}\n` : ''}\nFlags:\n${flags}\n`;
}

export interface MainOptions {
  io?: Partial<CliIO>;
  /** Passed to openWorkspace (tests inject destinations). */
  workspace?: WorkspaceOptions;
  /** Cancels the running command (default: SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  const io: CliIO = {
    stdout: options.io?.stdout ?? process.stdout,
    stderr: options.io?.stderr ?? process.stderr,
    env: options.io?.env ?? process.env,
  };
  const { workspaceDir, rest } = takeWorkspaceFlag(argv);
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  const words = rest.filter((arg) => arg !== '--help' && arg !== '-h');
  const first = words[0];
  if (first === undefined || first === 'help') {
    io.stdout.write(overview());
    return first === undefined && !wantsHelp ? 2 : 0;
  }
  const name = GROUPS.has(first) && words[1] !== undefined && !words[1].startsWith('--') ? `${first} ${words[1]}` : first;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const group = GROUPS.has(first) ? COMMANDS.filter((c) => c.name.startsWith(`${first} `)).map((c) => c.name) : [];
    io.stderr.write(`error: unknown command '${name}'\n`);
    io.stderr.write(group.length > 0 ? `Did you mean one of: ${group.join(', ')}?\n` : 'Run `manifold --help` for the commands.\n');
    return 2;
  }
  if (wantsHelp) {
    io.stdout.write(commandHelp(command));
    return 0;
  }

  const controller = new AbortController();
  const stop = () => controller.abort();
  if (!options.signal) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else {
    options.signal.addEventListener('abort', stop, { once: true });
  }
  try {
    const args = parseArgs(words.slice(name.split(' ').length), { ...command.flags, workspace: WORKSPACE_FLAG }, `usage: manifold ${usageOf(command)} [flags] (see --help)`);
    const workspace = openWorkspace(workspaceDir ?? defaultWorkspaceDir(io.env), { env: io.env, ...options.workspace });
    return await command.run({ args, workspace, io, signal: controller.signal });
  } catch (error) {
    io.stderr.write(renderError(error));
    return 1;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

function takeWorkspaceFlag(argv: string[]): { workspaceDir: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let workspaceDir: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--workspace') {
      // A missing value is left for the command's parser, which names the flag.
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) {
        rest.push(arg);
        continue;
      }
      workspaceDir = value;
      index++;
    } else if (arg.startsWith('--workspace=')) {
      workspaceDir = arg.slice('--workspace='.length);
    } else {
      rest.push(arg);
    }
  }
  return { workspaceDir, rest };
}

function renderError(error: unknown): string {
  if (isWorkspaceError(error)) return `error: ${error.message}\n${error.help ? `${error.help}\n` : ''}`;
  if (isRuntimeError(error)) return `error: ${error.describe()}\n`;
  const err = error as Error;
  return `error: ${err?.message ?? String(error)}\n`;
}
