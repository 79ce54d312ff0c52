import neo4j, { type Driver } from 'neo4j-driver';
import { afterAll, describe, expect, inject, it } from 'vitest';

describe('dbms.listConnections() on a real Neo4j', () => {
  const server = inject('neo4j');
  const userAgent = `boltbudget-test/${process.pid}`;
  const driver: Driver = neo4j.driver(server.uri, neo4j.auth.basic(server.username, server.password), { userAgent, maxConnectionPoolSize: 2 });
  afterAll(async () => driver.close());

  it('lists the session\'s own Bolt connection with its user agent', async () => {
    const session = driver.session();
    try {
      const result = await session.run(
        'CALL dbms.listConnections() YIELD connectionId, connectTime, connector, username, userAgent, clientAddress RETURN connectionId, connectTime, connector, username, userAgent, clientAddress',
      );
      const rows = result.records.map((record) => record.toObject() as Record<string, string>);
      const own = rows.filter((row) => row.userAgent === userAgent);
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ connector: 'bolt', username: 'neo4j' });
      expect(own[0]?.connectionId).toMatch(/^bolt-\d+$/);
      expect(own[0]?.clientAddress).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(Number.isNaN(Date.parse(own[0]?.connectTime ?? ''))).toBe(false);
    } finally {
      await session.close();
    }
  });
});
