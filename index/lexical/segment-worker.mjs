// Worker threads start as plain Node, which cannot load TypeScript: the entry registers tsx's loader
// (as `npm start` and vitest run the rest) before loading the worker's code.
import { register } from 'tsx/esm/api';

register();
await import('./segment-worker.ts');
