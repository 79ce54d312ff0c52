import neo4j, { type Driver } from 'neo4j-driver';

/** The bench's own driver: one connection, a user agent of its own so it is never counted as the operator's. */
export function benchDriver(uri: string, username: string, password: string): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(username, password), { maxConnectionPoolSize: 1, userAgent: 'boltbudget-bench' });
}

/** Creates one monitoring user per instance, so the server's connection list tells the instances apart. */
export async function createMonitoringUsers(driver: Driver, names: readonly string[], password: string): Promise<void> {
  for (const name of names) {
    await driver.executeQuery(`CREATE USER ${name} IF NOT EXISTS SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED`, { password }, { database: 'system' });
  }
}

/** The operator's Bolt connections open on the server now, by the user they logged in as. */
export async function operatorConnectionsByUser(driver: Driver, operatorUserAgentPrefix: string): Promise<Map<string, number>> {
  const { records } = await driver.executeQuery('CALL dbms.listConnections() YIELD connector, username, userAgent RETURN connector, username, userAgent');
  const byUser = new Map<string, number>();
  for (const record of records) {
    const connector = String(record.get('connector'));
    const userAgent = String(record.get('userAgent') ?? '');
    if (!connector.startsWith('bolt') || !userAgent.startsWith(operatorUserAgentPrefix)) continue;
    const user = String(record.get('username'));
    byUser.set(user, (byUser.get(user) ?? 0) + 1);
  }
  return byUser;
}
