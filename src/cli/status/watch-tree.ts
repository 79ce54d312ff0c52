import type { KubeConfig } from '@kubernetes/client-node';
import { redrawer, type RedrawMode } from '../render/redraw.ts';
import type { ClusterObjects, StatusSources } from './sources.ts';
import type { StatusIo } from './status-command.ts';
import { watchObjects } from './watch-objects.ts';

/** Batches a burst of watch events (a rollout, the operator's status writes) into one redraw. */
const REDRAW_DELAY_MS = 100;

export interface WatchTreeInput {
  kc: KubeConfig;
  sources: StatusSources;
  format: (objects: ClusterObjects) => string;
  /** What the first list read: drawn at once, before the watches are up. */
  first: ClusterObjects;
  mode: RedrawMode;
}

/**
 * `status --watch`: draws the first read, then keeps the objects in list+watch caches and draws the tree
 * again 100 ms after a change (only when it differs) until Ctrl-C; resolves to the exit code 0.
 */
export async function watchTree(input: WatchTreeInput, io: StatusIo): Promise<number> {
  // Only a changed tree is printed: a Deployment's rollout status, say, changes no figure shown.
  const redraw = redrawer(io.stdout, input.mode);
  const draw = (objects: ClusterObjects): void => redraw(input.format(objects));
  let synced = false;
  let timer: NodeJS.Timeout | undefined;
  const watched = watchObjects(
    input.kc,
    input.sources,
    () => {
      // Until every cache has listed, a snapshot would be partial; the first full one is drawn below.
      if (!synced || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        draw(watched.objects());
      }, REDRAW_DELAY_MS);
    },
    (line) => io.stderr.write(`warning: ${line}\n`),
  );
  draw(input.first);
  const interrupted = new Promise<void>((resolve) => io.onInterrupt(resolve));
  // The caches list again before they watch: a change between the first read and the watch is drawn here.
  const started = watched.start().then(() => {
    synced = true;
    draw(watched.objects());
  });
  await Promise.race([started, interrupted]);
  await interrupted;
  clearTimeout(timer);
  await watched.stop();
  return 0;
}
