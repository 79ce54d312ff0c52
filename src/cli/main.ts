#!/usr/bin/env node
// The boltbudget command: `plan` answers "does this fit?" from files, `status` reads the cluster.
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { processIo, tolerateClosedReader, type CliIo } from './input/cli-io.ts';
import { registerPlanCommand } from './plan/register.ts';
import { registerStatusCommand } from './status/register.ts';

/**
 * Builds the command tree; `name` is how the user called it (`boltbudget` or `kubectl boltbudget`), `io`
 * the streams it reads and writes (a test passes its own). Subcommands inherit the output settings.
 */
export function buildProgram(name: string, io: CliIo = processIo()): Command {
  const program = new Command(name)
    .description('Bolt connection budgets for Neo4j: plan offline, read the live status')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  registerPlanCommand(program, io);
  registerStatusCommand(program);
  return program;
}

/** Runs the command and exits with its code; commander's own errors (usage, --help) keep theirs. A closed stdout ends nothing early: the code is still the verdict. */
export async function runCli(name: string, argv: readonly string[]): Promise<void> {
  tolerateClosedReader(process.stdout);
  tolerateClosedReader(process.stderr);
  try {
    await buildProgram(name).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    throw error;
  }
}

if (import.meta.main) await runCli('boltbudget', process.argv.slice(2));
