#!/usr/bin/env node
// The `cohort` command. Runs the compiled CLI when `npm run build` has made one, else the
// TypeScript sources through tsx, so it works from a fresh checkout.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
