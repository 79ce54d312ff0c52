import { z } from 'zod';

/** Kubernetes object names (RFC 1123 subdomain), as the API server itself checks them. */
export const objectName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);

/** A namespace name (RFC 1123 label). */
export const namespaceName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);

export const percent = z.int().min(0).max(100);

/**
 * A count of connections or replicas in a status: never negative, at most 2^53 - 1 (the largest integer
 * JavaScript, JSON readers and int64 all hold exactly). 100 workloads x pool 10,000 x 2^31 replicas is
 * about 2^51, so one budget always fits; sums past it are saturated by the operator, never rejected.
 */
export const count = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const LEVELS = ['Healthy', 'Warning', 'Critical', 'Exceeded'] as const;
export const level = z.enum(LEVELS).describe('Healthy, Warning, Critical or Exceeded: the worst of the planned, current and observed views.');
export type Level = z.infer<typeof level>;
