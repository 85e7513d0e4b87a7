#!/usr/bin/env -S node --max-old-space-size=768
// The heap cap makes V8 collect garbage before a 100 MB upload can push the process past 1 GB (see BENCHMARKS.md).
// The `puente` command. Runs the TypeScript sources through tsx, as `npm start` does.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/index.ts');
await runCli(process.argv);
