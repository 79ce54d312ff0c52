import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache.ts';
import { withHeartbeat, type ProgressLog } from './log.ts';
import { runCommand } from './run-command.ts';
import { NEO4J_VERSION } from './versions.ts';

/** The jars of Neo4j Community (org.neo4j:neo4j and its runtime closure) from Maven Central, cached per version. */
export async function ensureNeo4jJars(log: ProgressLog): Promise<string> {
  const dir = join(cacheRoot(), `neo4j-${NEO4J_VERSION}`);
  const lib = join(dir, 'lib');
  if (existsSync(join(lib, `neo4j-${NEO4J_VERSION}.jar`))) return lib;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.boltbudget</groupId>
  <artifactId>neo4j-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>${NEO4J_VERSION}</version></dependency>
  </dependencies>
</project>
`,
  );
  const partial = join(dir, 'lib.partial');
  rmSync(partial, { recursive: true, force: true });
  await withHeartbeat(
    log,
    `fetching Neo4j ${NEO4J_VERSION} Community from Maven Central`,
    runCommand('mvn', ['-q', '-B', 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`, '-DincludeScope=runtime'], { cwd: dir }),
  );
  renameSync(partial, lib);
  return lib;
}
