import { colourEnabled } from '../render/terminal.ts';
import { renderTree } from '../render/status-tree.ts';
import { TargetError, resolveTarget, type TargetFlags } from './kube-target.ts';
import { ReadFailure } from './read-failure.ts';
import { readObjects } from './read-objects.ts';
import { statusSources, type ClusterObjects } from './sources.ts';
import { statusDocument } from './status-json.ts';
import { buildTree } from './tree.ts';
import { watchTree } from './watch-tree.ts';
import type { OutputFormat } from './output-format.ts';

export interface StatusFlags extends TargetFlags {
  watch?: boolean | undefined;
  output: OutputFormat;
}

export interface StatusIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  /** Registers what to do on Ctrl-C, SIGTERM or a closed stdout: `--watch` stops and exits 0. */
  onInterrupt(handler: () => void): void;
}

/** The tree as the chosen output: text (coloured only on a terminal without NO_COLOR) or JSON. */
function formatter(flags: StatusFlags, io: StatusIo, namespace: string | undefined): (objects: ClusterObjects) => string {
  const colour = flags.output === 'text' && colourEnabled(io.stdout, io.env);
  return (objects) => {
    const tree = buildTree(objects, namespace);
    if (flags.output === 'text') return renderTree(tree, { colour });
    // One document per line while watching (a JSON stream), indented otherwise.
    return `${JSON.stringify(statusDocument(tree), null, flags.watch ? undefined : 2)}\n`;
  };
}

const fail = (io: StatusIo, message: string): number => {
  io.stderr.write(`error: ${message}\n`);
  return 1;
};

/**
 * `status`: reads the cluster once and prints the tree; with --watch keeps printing it on every change.
 * Returns the exit code: 0, or 1 with one line on stderr when the kubeconfig or a read fails.
 */
export async function runStatus(flags: StatusFlags, io: StatusIo): Promise<number> {
  let target;
  try {
    target = resolveTarget(flags);
  } catch (error) {
    if (error instanceof TargetError) return fail(io, error.message);
    throw error;
  }
  const sources = statusSources(target.kc, target.namespace);
  const format = formatter(flags, io, target.namespace);
  let first: ClusterObjects;
  try {
    first = await readObjects(sources, target.server);
  } catch (error) {
    if (error instanceof ReadFailure) return fail(io, error.message);
    throw error;
  }
  if (!flags.watch) {
    io.stdout.write(format(first));
    return 0;
  }
  return watchTree({ kc: target.kc, sources, format, first, mode: flags.output === 'json' ? 'lines' : io.stdout.isTTY === true ? 'terminal' : 'stream' }, io);
}
