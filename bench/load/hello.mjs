/**
 * The floor for "start to ready": a plain node:http server answering GET /healthz, nothing else. Plain JavaScript,
 * so bench/load/ready.ts can start it the way each Ripple variant is started (with plain node, or with tsx's loader)
 * and the difference is what Ripple's own start adds.
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close());
