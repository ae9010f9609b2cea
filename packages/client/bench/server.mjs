// Loopback server for the overhead benchmark: answers every request with the same small JSON list.
import http from "node:http";

const body = JSON.stringify({
  clients: Array.from({ length: 3 }, (_, i) => ({
    id: i + 1,
    name: `Client ${i + 1}`,
    code: `C${i + 1}`,
    email: `c${i + 1}@example.pt`,
    fiscal_id: "123456789",
    country: "Portugal",
  })),
  pagination: { total_entries: 3, current_page: 1, total_pages: 1, per_page: 30 },
});
const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => server.close(() => process.exit(0)));
