// The Node baseline of bench/run_receiver_bench.sh: the webhook receiver many users would write
// instead, with node's own `http` (no npm packages). Each POST body is read whole, JSON.parse'd,
// checked to be a run payload (an object with a string run_id), counted and answered 200.
//
//   node bench/node_receiver.mjs [--port N] [--path /langgraph/webhook]
//
// Prints "port N" once listening; on SIGINT or SIGTERM prints "validated N" and exits 0.
import http from 'node:http';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const port = Number(option('--port', '0'));
const path = option('--path', '/langgraph/webhook');

let validated = 0;

const reply = (res, status, detail) => {
  const body = JSON.stringify({ detail });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
};

const server = http.createServer((req, res) => {
  const target = req.url ?? '';
  const q = target.indexOf('?');
  if ((q < 0 ? target : target.slice(0, q)) !== path) return reply(res, 404, 'Not Found');
  if (req.method !== 'POST') return reply(res, 405, 'Method Not Allowed: use POST');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let payload;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return reply(res, 400, 'the body is not JSON');
    }
    if (payload === null || typeof payload !== 'object' || typeof payload.run_id !== 'string')
      return reply(res, 422, 'not a LangGraph run payload');
    ++validated;
    reply(res, 200, 'ok');
  });
});
server.keepAliveTimeout = 5000; // as the C++ receivers

const finish = () => {
  process.stdout.write(`validated ${validated}\n`);
  process.exit(0);
};
process.on('SIGINT', finish);
process.on('SIGTERM', finish);

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`port ${server.address().port}\n`);
});
