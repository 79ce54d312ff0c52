export interface ThreadPoolPressure {
  status: 'True' | 'False' | 'Unknown';
  message: string;
}

/** ThreadPoolPressure: running transactions above warningPercent of server.bolt.thread_pool_max_size. */
export function threadPoolPressure(running: number | undefined, threadPoolMaxSize: number | undefined, warningPercent: number): ThreadPoolPressure {
  const missing: string[] = [];
  if (running === undefined) missing.push('running connections (SHOW TRANSACTIONS not allowed)');
  if (threadPoolMaxSize === undefined) missing.push('server.bolt.thread_pool_max_size (setting not readable)');
  if (running === undefined || threadPoolMaxSize === undefined) {
    return { status: 'Unknown', message: `unknown: ${missing.join(' and ')}` };
  }
  const figures = `${running} running of thread pool max ${threadPoolMaxSize} (warning at ${warningPercent} %)`;
  return running * 100 > warningPercent * threadPoolMaxSize
    ? { status: 'True', message: `${figures}: Bolt threads are running out` }
    : { status: 'False', message: figures };
}
