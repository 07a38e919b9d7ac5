/** One CLI subcommand: its flags, its usage and what it does. */
import { readFile } from 'node:fs/promises';
import { WorkspaceError } from '../errors.js';
import type { Workspace } from '../workspace.js';
import type { FlagSpec, ParsedArgs } from './args.js';

export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export interface CommandContext {
  args: ParsedArgs;
  workspace: Workspace;
  io: CliIO;
  /** Aborted on SIGINT/SIGTERM while a command runs. */
  signal: AbortSignal;
}

export interface Command {
  /** 'sync', 'source create', … */
  name: string;
  /** Positional arguments as shown in usage: '<connection>'. */
  positionals?: string;
  summary: string;
  flags: Record<string, FlagSpec>;
  /** More lines for --help. */
  details?: string;
  run(ctx: CommandContext): Promise<number>;
}

export function stringFlag(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** The one positional a command takes, or an error saying which is missing. */
export function positional(ctx: CommandContext, what: string, usage: string): string {
  const value = ctx.args.positionals[0];
  if (value === undefined) throw new WorkspaceError('INVALID_INPUT', `missing ${what}`, { help: usage });
  if (ctx.args.positionals.length > 1) {
    throw new WorkspaceError('INVALID_INPUT', `unexpected argument '${String(ctx.args.positionals[1])}'`, { help: usage });
  }
  return value;
}

export async function readJsonObject(path: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WorkspaceError('INVALID_INPUT', `cannot read the ${what} file '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WorkspaceError('INVALID_INPUT', `the ${what} file '${path}' is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WorkspaceError('INVALID_INPUT', `the ${what} file '${path}' must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function json(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const JSON_FLAG: FlagSpec = { type: 'boolean', help: 'print JSON instead of a table' };
