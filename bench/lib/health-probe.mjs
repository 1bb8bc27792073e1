/* global fetch, setTimeout */
// Probes <argv[2]>/healthz one request at a time, every 10 ms, from a process of its own (the bench's own event
// loop is busy receiving what it measures, which would add its delays to the figures). On `stop` over IPC it answers
// the latencies in ms (a failed probe is Infinity) and exits.
import process from 'node:process';
import { performance } from 'node:perf_hooks';

const latencies = [];
let running = true;
process.on('message', (message) => {
  if (message === 'stop') running = false;
});
// A first request costs a fresh process far more than any later one (undici and the connection warm up): not counted.
await fetch(`${process.argv[2]}/healthz`).then((r) => r.arrayBuffer());
process.send('ready');
while (running) {
  const started = performance.now();
  const ok = await fetch(`${process.argv[2]}/healthz`).then(
    (r) => r.arrayBuffer().then(() => r.ok),
    () => false,
  );
  latencies.push(ok ? performance.now() - started : null);
  await new Promise((resolve) => setTimeout(resolve, 10));
}
process.send(latencies);
process.disconnect();
