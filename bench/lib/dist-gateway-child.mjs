// A gateway compiled to a dist/ directory (argv[2]), configured by the environment, in a child process so memory
// figures are its own. Answers `memory` (heap used after a full GC; needs --expose-gc), `snapshot` (writes a heap
// snapshot, answers its path) and `stop` over IPC.
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';

const dist = path.resolve(process.argv[2]);
const { loadConfig } = await import(pathToFileURL(path.join(dist, 'config/load-config.js')).href);
const { createGateway } = await import(pathToFileURL(path.join(dist, 'gateway.js')).href);
const gateway = createGateway(loadConfig({ env: process.env }));
const { url } = await gateway.start();
process.on('message', (message) => {
  if (message === 'memory') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send({ heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
  } else if (message === 'snapshot') {
    process.send({ path: writeHeapSnapshot() });
  } else if (message === 'stop') {
    void gateway.stop().then(() => process.disconnect());
  }
});
process.send({ url });
