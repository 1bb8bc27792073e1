/**
 * The runtime's ceiling for a cache hit: a bare `node:http` server that reads each request's body and answers it
 * with fixed bytes, the very bytes Flygate's warm dashboard answered (captured by the runner, bench/run-peers.ts,
 * into the file `BODY_FILE`, with its content type). No parsing, no routing, no lookup: what is left between this
 * and Flygate's warm answer is what Flygate's hit path costs.
 *
 *   PORT=4106 BODY_FILE=bench/.out/dashboard-body.json node <compiled raw-http.js>
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/** What the runner captured: the response body (base64) and its content type. */
interface Captured {
  body: string;
  contentType: string;
}

const captured = JSON.parse(readFileSync(process.env.BODY_FILE ?? '', 'utf8')) as Captured;
const body = Buffer.from(captured.body, 'base64');
const headers = { 'content-type': captured.contentType, 'content-length': String(body.length) };

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  // Read the request as a server must before it answers, then write the same bytes every time.
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 4106), '127.0.0.1', () => console.log(`listening ${process.env.PORT}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
