/**
 * The floor for "start to ready": `node --import tsx` and a plain node:http server answering GET /healthz, nothing
 * else. Started by bench/load/ready.ts the same way as src/main.ts, so the difference is what Ripple's start adds.
 */
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close());
