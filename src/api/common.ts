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

/** A count of connections or replicas: never negative, far below what int64 holds. */
export const count = z.int().min(0).max(1_000_000_000);

export const LEVELS = ['Healthy', 'Warning', 'Critical', 'Exceeded'] as const;
export const level = z.enum(LEVELS).describe('Healthy, Warning, Critical or Exceeded: the worst of the planned, current and observed views.');
export type Level = z.infer<typeof level>;
