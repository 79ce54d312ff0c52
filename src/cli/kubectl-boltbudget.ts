#!/usr/bin/env node
// The kubectl plugin: kubectl finds `kubectl-boltbudget` on the PATH and runs it as `kubectl boltbudget`.
import { runCli } from './main.ts';

await runCli('kubectl boltbudget', process.argv.slice(2));
