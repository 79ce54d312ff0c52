/** One Bolt connection as `dbms.listConnections()` lists it. */
export interface ConnectionRecord {
  /** e.g. "bolt-42"; the server numbers connections in the order they were opened. */
  id: string;
  userAgent: string;
  /** "ip:port" as the server saw the client ("[::1]:port" for IPv6). */
  clientAddress: string;
  connectTime: string;
}

/** One poll of a live instance, as plain data; the operator's own connections are counted apart. */
export interface Sample {
  /** Epoch milliseconds, from the injected clock. */
  at: number;
  /** Bolt connections of the applications (the operator's own excluded). */
  connections: readonly ConnectionRecord[];
  /** The operator's own Bolt connections to the instance. */
  own: number;
  /** Ids of connections with an open transaction; undefined when SHOW TRANSACTIONS was refused. */
  running?: readonly string[];
  /** server.bolt.thread_pool_max_size; undefined when the setting cannot be read (Aura). */
  threadPoolMaxSize?: number;
  /**
   * The highest connection number listed, the operator's own included. The operator opens a fresh
   * connection for every poll, so this is the server's connection counter at the time of the sample.
   */
  highestConnectionNumber?: number;
  /** Ids of the operator's own connections, so that its fresh ones are not counted as opened by applications. */
  ownIds?: readonly string[];
}
