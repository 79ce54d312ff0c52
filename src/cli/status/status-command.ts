import { CLEAR_SCREEN, colourEnabled } from '../render/terminal.ts';
import { renderTree } from '../render/status-tree.ts';
import { TargetError, resolveTarget, type TargetFlags } from './kube-target.ts';
import { ReadFailure } from './read-failure.ts';
import { readObjects } from './read-objects.ts';
import { statusSources, type ClusterObjects } from './sources.ts';
import { statusDocument } from './status-json.ts';
import { buildTree } from './tree.ts';
import { watchObjects } from './watch-objects.ts';
import type { OutputFormat } from './output-format.ts';


export interface StatusFlags extends TargetFlags {
  watch?: boolean | undefined;
  output: OutputFormat;
}

export interface StatusIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  /** Registers what to do on Ctrl-C (and SIGTERM): `--watch` stops and exits 0. */
  onInterrupt(handler: () => void): void;
}

/** Batches a burst of watch events (a rollout, the operator's status writes) into one redraw. */
const REDRAW_DELAY_MS = 100;

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
  return watchTree(flags, io, target.kc, sources, format, first);
}

async function watchTree(flags: StatusFlags, io: StatusIo, kc: Parameters<typeof watchObjects>[0], sources: Parameters<typeof watchObjects>[1], format: (objects: ClusterObjects) => string, first: ClusterObjects): Promise<number> {
  const terminal = flags.output === 'text' && io.stdout.isTTY === true;
  let last: string | undefined;
  let synced = false;
  let timer: NodeJS.Timeout | undefined;
  // Only a changed tree is printed: a Deployment's rollout status, say, changes no figure shown.
  const draw = (objects: ClusterObjects): void => {
    const text = format(objects);
    if (text === last) return;
    const separator = last === undefined || terminal || flags.output === 'json' ? '' : '\n';
    last = text;
    io.stdout.write(terminal ? `${CLEAR_SCREEN}${text}(watching; Ctrl-C to stop)\n` : `${separator}${text}`);
  };
  const watched = watchObjects(
    kc,
    sources,
    () => {
      if (!synced || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        draw(watched.objects());
      }, REDRAW_DELAY_MS);
    },
    (line) => io.stderr.write(`warning: ${line}\n`),
  );
  draw(first);
  const interrupted = new Promise<void>((resolve) => io.onInterrupt(resolve));
  // The caches list again before they watch: a change between the first read and the watch is drawn here.
  await Promise.race([watched.start().then(() => {
    synced = true;
    draw(watched.objects());
  }), interrupted]);
  await interrupted;
  clearTimeout(timer);
  await watched.stop();
  return 0;
}
