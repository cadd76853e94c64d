#!/usr/bin/env node
// The `switchboard` command. Runs the TypeScript sources through tsx, so no build step stands between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
