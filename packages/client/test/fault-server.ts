// A small HTTP server on 127.0.0.1 that answers with scripted faults, and records every request.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string; json?: unknown }
  | { reset: true } // closes the connection without answering
  | { stall: true } // never answers
  | { stallBody: true; status?: number }; // sends the headers and part of the body, then nothing

export interface SeenRequest {
  method: string;
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface FaultServer {
  url: string;
  requests: SeenRequest[];
  /** The answers to the next requests, in order; the last one repeats. */
  script(...faults: Array<Fault | ((req: SeenRequest) => Fault)>): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const requests: SeenRequest[] = [];
  let queue: Array<Fault | ((req: SeenRequest) => Fault)> = [{ status: 200, json: {} }];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
        headers: req.headers,
        at: Date.now(),
      };
      requests.push(seen);
      const next = queue.length > 1 ? queue.shift()! : queue[0]!;
      const fault = typeof next === "function" ? next(seen) : next;
      if ("reset" in fault) return req.socket.destroy();
      if ("stall" in fault) return;
      if ("stallBody" in fault) {
        res.writeHead(fault.status ?? 200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"clients":[');
        return;
      }
      const body = fault.json !== undefined ? JSON.stringify(fault.json) : (fault.body ?? "");
      const headers: Record<string, string> = {
        ...(fault.json !== undefined ? { "content-type": "application/json; charset=utf-8" } : {}),
        ...fault.headers,
      };
      res.writeHead(fault.status, headers);
      res.end(body);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(...faults) {
      queue = faults;
      requests.length = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
