import { backoffDelay } from './backoff.ts';

export interface WorkQueueOptions {
  /** Workers running at once (each on a different key). */
  concurrency: number;
  /** Per-key retry backoff: first delay, doubled per failure, capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Overall rate limit: a token bucket of `burst` refilled at `perSecond`. */
  perSecond: number;
  burst: number;
  now?: () => number;
}

export type KeyHandler = (key: string) => Promise<void>;

/**
 * A level-based work queue in the manner of client-go's: a key waits at most once however often it is
 * added, one worker handles a key at a time (a key added while in flight runs again afterwards), a key
 * that fails comes back after its own exponential backoff, and all keys share an overall rate limit.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private tokens: number;
  private lastRefill: number;
  private refillTimer: NodeJS.Timeout | undefined;
  private running = 0;
  private shuttingDown = false;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;
  private readonly handler: KeyHandler;
  private readonly options: WorkQueueOptions;
  private readonly onError: (key: string, error: unknown, retryInMs: number) => void;

  constructor(handler: KeyHandler, options: WorkQueueOptions, onError: (key: string, error: unknown, retryInMs: number) => void) {
    this.handler = handler;
    this.options = options;
    this.onError = onError;
    this.now = options.now ?? Date.now;
    this.tokens = options.burst;
    this.lastRefill = this.now();
  }

  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    const pending = this.delayed.get(key);
    if (pending) {
      clearTimeout(pending);
      this.delayed.delete(key);
    }
    this.queued.add(key);
    this.queue.push(key);
    this.pump();
  }

  /** Keys waiting or in progress, for the queue-depth metric. */
  depth(): number {
    return this.queue.length + this.delayed.size;
  }

  /** Resolves when nothing is queued, running or waiting on a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and waits for the workers in flight. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.queue.length = 0;
    this.queued.clear();
    if (this.refillTimer) clearTimeout(this.refillTimer);
    while (this.running > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    this.releaseIdleWaiters();
  }

  private releaseIdleWaiters(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters) resolve();
    this.idleWaiters = [];
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.running === 0 && this.delayed.size === 0;
  }

  private takeToken(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.options.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.options.perSecond);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    if (!this.refillTimer) {
      const wait = Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000);
      this.refillTimer = setTimeout(() => {
        this.refillTimer = undefined;
        this.pump();
      }, wait);
    }
    return false;
  }

  private pump(): void {
    while (!this.shuttingDown && this.running < this.options.concurrency && this.queue.length > 0) {
      if (!this.takeToken()) return;
      const key = this.queue.shift() as string;
      this.queued.delete(key);
      this.active.add(key);
      this.running += 1;
      void this.work(key);
    }
  }

  private async work(key: string): Promise<void> {
    try {
      await this.handler(key);
      this.failures.delete(key);
    } catch (error) {
      const failures = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, failures);
      const delay = backoffDelay(failures, this.options.baseDelayMs, this.options.maxDelayMs);
      this.onError(key, error, delay);
      if (!this.shuttingDown) {
        const timer = setTimeout(() => {
          this.delayed.delete(key);
          this.add(key);
        }, delay);
        this.delayed.set(key, timer);
      }
    } finally {
      this.active.delete(key);
      this.running -= 1;
      if (this.dirty.delete(key)) this.add(key);
      this.pump();
      this.releaseIdleWaiters();
    }
  }
}
