import { objectName } from '../../api/common.ts';
import { API_VERSION } from '../../api/group.ts';
import { neo4jInstanceSpec } from '../../api/neo4j-instance.ts';
import { parseSpec } from '../../api/parse-spec.ts';
import type { InstanceResource } from '../../k8s/caches.ts';
import { InputError } from '../input/input-error.ts';

/**
 * `--instance NAME --limit N`: an instance that is not in the files, with that connection limit and the
 * schema's defaults for everything else (buffer 20 %, warning over 80 %, critical over 95 %).
 */
export function syntheticInstance(name: string | undefined, limit: string | undefined): InstanceResource | undefined {
  if (name === undefined && limit === undefined) return undefined;
  if (name === undefined) throw new InputError({}, '--limit needs --instance NAME (the instance it is the limit of)');
  if (limit === undefined) throw new InputError({}, `--instance ${name} needs --limit N (its connection limit)`);
  const validName = parseSpec(objectName, name);
  if (!validName.ok) throw new InputError({}, `--instance: ${validName.message.replace(/^spec/, 'metadata.name')}`);
  if (!/^\d+$/.test(limit.trim())) throw new InputError({}, `--limit: expected a whole number of connections, got ${JSON.stringify(limit)}`);
  const spec = { connectionLimit: Number(limit.trim()) };
  const parsed = parseSpec(neo4jInstanceSpec, spec);
  if (!parsed.ok) throw new InputError({}, `--limit: ${parsed.message}`);
  return { apiVersion: API_VERSION, kind: 'Neo4jInstance', metadata: { name }, spec };
}
