import { readFileSync } from 'node:fs';

/** The package version, for the driver's user agent and the logs. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
