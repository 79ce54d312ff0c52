import { KubeApiError } from '../../k8s/api-error.ts';

/** The events API's limit on an event's note. */
export const MAX_NOTE = 1024;

/** A refusal worth telling the budget's owner about: an admission denial (403) or an invalid write (422). */
export function deniedWrite(error: unknown): KubeApiError | undefined {
  return error instanceof KubeApiError && (error.code === 403 || error.code === 422) ? error : undefined;
}

/** The ActionDenied note: what was attempted and the API server's own message, within the note limit. */
export function denialNote(error: KubeApiError): string {
  return error.message.slice(0, MAX_NOTE);
}

/**
 * The last denial recorded per budget and target, so a refused write that is retried with backoff is
 * recorded once, and again only when the API server's answer (or the attempt) changes.
 */
export class ActionDenials {
  private readonly last = new Map<string, Map<string, string>>();

  /** True when this denial differs from the last one remembered for the budget and target (and remembers it). */
  isNew(budget: string, target: string, note: string): boolean {
    const targets = this.last.get(budget) ?? new Map<string, string>();
    if (targets.get(target) === note) return false;
    targets.set(target, note);
    this.last.set(budget, targets);
    return true;
  }

  /** A write to the target went through: a later denial is news again. */
  succeeded(budget: string, target: string): void {
    const targets = this.last.get(budget);
    if (!targets) return;
    targets.delete(target);
    if (targets.size === 0) this.last.delete(budget);
  }

  /** The budget is gone. */
  forget(budget: string): void {
    this.last.delete(budget);
  }
}
