#!/usr/bin/env node
// The `cohort` command. In a checkout it runs the TypeScript sources through tsx (no build step,
// never a stale build); where only the compiled code ships (the Docker image), it runs dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
