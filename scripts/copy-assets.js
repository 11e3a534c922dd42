// Copies the files tsc does not emit (the playground page) next to the compiled code in dist/.
import { cp } from 'node:fs/promises';

await cp('src/adapters/playground/public', 'dist/adapters/playground/public', { recursive: true });
