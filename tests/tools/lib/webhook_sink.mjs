// A webhook receiver for the alert tests: binds 127.0.0.1 on a free port, prints one JSON line
// {"url":"http://127.0.0.1:P"} and then one JSON line per request received:
// {"method","path","content_type","body"} (body as text). Paths starting with /fail answer 500
// (to test the retry), everything else 200 {"ok":true}. Exits when stdin ends, like the
// simulator, so it never outlives the test that started it.
import http from 'node:http';

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const line = {
      method: req.method,
      path: req.url,
      content_type: req.headers['content-type'] ?? null,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
    const fail = req.url.startsWith('/fail');
    res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
    res.end(fail ? '{"ok":false}' : '{"ok":true}');
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }) + '\n');
});

const stop = () => server.close(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
