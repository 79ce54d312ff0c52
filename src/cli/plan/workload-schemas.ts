import { z } from 'zod';

// The fields of rendered workloads that the sums read, with the types the API server would insist on;
// everything else in them is left alone.

const intOrString = z.union([z.int(), z.string()]);

export const deploymentSpec = z.looseObject({
  replicas: z.int().min(0).optional(),
  strategy: z
    .looseObject({
      type: z.string().optional(),
      rollingUpdate: z.looseObject({ maxSurge: intOrString.optional() }).optional(),
    })
    .optional(),
});

export const statefulSetSpec = z.looseObject({ replicas: z.int().min(0).optional() });

export const autoscalerSpec = z.looseObject({
  scaleTargetRef: z.looseObject({ apiVersion: z.string().optional(), kind: z.string().min(1), name: z.string().min(1) }),
  minReplicas: z.int().min(0).optional(),
  maxReplicas: z.int().min(1),
});
