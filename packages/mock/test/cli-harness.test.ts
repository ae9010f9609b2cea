// The CLI as a harness in another language drives it: one stable line to wait for, signals that
// stop it with exit 0, and no mock left behind (holding its port) when whatever started it dies,
// whichever signal killed it, or when its stdin closes with --exit-on-stdin-close.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, "../dist/cli.js");
const LINE = /^InvoiceXpress mock listening on (http:\/\/127\.0\.0\.1:(\d+))$/;

const children: ChildProcessWithoutNullStreams[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

function start(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: "pipe" });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  /** Resolves with the first line that matches, once it is printed. */
  const line = async (pattern: RegExp): Promise<RegExpExecArray> => {
    const deadline = Date.now() + 25_000;
    for (;;) {
      for (const l of out.split("\n")) {
        const m = pattern.exec(l);
        if (m) return m;
      }
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no line ${pattern}: ${out}\n${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, exited, line, out: () => out };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** How long until nothing listens on `port` (gives up at 8 s). */
async function freedAfter(port: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 8000) {
    if (!(await listening(port))) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  return Number.POSITIVE_INFINITY;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("ixpress-mock as a harness drives it", () => {
  for (const flag of ["--help", "-h"]) {
    it(`${flag} prints the usage, with the stable line and the flags, and exits 0`, async () => {
      const run = start(process.execPath, [cli, flag]);
      expect(await run.exited).toBe(0);
      expect(run.out()).toMatch(/^Usage: ixpress-mock /);
      expect(run.out()).toContain('"InvoiceXpress mock listening on http://HOST:PORT"');
      expect(run.out()).toContain("--exit-on-stdin-close");
    });
  }

  it("--port 0: the first line is the URL, and it answers once printed", async () => {
    const run = start(process.execPath, [cli, "--port", "0", "--stateful"]);
    const [, url, port] = await run.line(LINE);
    expect(run.out().split("\n")[0]).toBe(`InvoiceXpress mock listening on ${url}`);
    expect(Number(port)).toBeGreaterThan(0);
    expect((await fetch(`${url}/clients.json?api_key=x`)).status).toBe(200);
    const contract = (await (await fetch(`${url}/__sandbox/openapi.json`)).json()) as { paths: object };
    expect(Object.keys(contract.paths)).toContain("/__sandbox/reset");
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} stops it with exit 0 and frees the port`, async () => {
      const run = start(process.execPath, [cli, "--port", "0"]);
      const port = Number((await run.line(LINE))[2]);
      run.child.kill(signal);
      expect(await run.exited).toBe(0);
      expect(await listening(port)).toBe(false);
    });
  }

  it.runIf(process.platform === "linux")("a signal while it is still loading stops it with exit 0", async () => {
    // Linux lists the signals a process catches (SigCgt). Node itself catches SIGINT and SIGTERM
    // from the start (to restore the terminal, then it dies of them); SIGHUP is caught only once
    // the CLI's handlers are in place, before it loads Prism and the description.
    const caught = (pid: number | undefined) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? "0"}`);
        return (mask & 1n) !== 0n; // bit 1 - 1: SIGHUP
      } catch {
        return false;
      }
    };
    // On a loaded machine this process may not run again before the mock has finished loading;
    // such a try still has to exit 0, and another try is made, so that at least one signal lands
    // while it is loading.
    let whileLoading = 0;
    // --dynamic: Prism itself is loaded before it listens (served from the build's answers, the
    // mock is ready in a few hundred ms, too soon for most signals to find it loading).
    for (let attempt = 0; attempt < 5 && whileLoading === 0; attempt++) {
      const run = start(process.execPath, [cli, "--port", "0", "--dynamic"]);
      const deadline = Date.now() + 20_000;
      while (!caught(run.child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      run.child.kill("SIGTERM");
      expect(await run.exited).toBe(0);
      if (!run.out().includes("listening on")) whileLoading++;
    }
    expect(whileLoading).toBe(1);
  });

  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    it(`when its parent (a shell) is killed with ${signal}, it exits and frees the port within 5 s`, async () => {
      // The shell does not forward signals: this is `npx`, a wrapper script, or a test runner
      // that is killed, as Python's terminate(), PHP's proc_terminate() and Go's Signal do it.
      const shell = start("sh", ["-c", `"$0" "$1" --port 0 & echo "mock pid $!"; wait`, process.execPath, cli]);
      const pid = Number((await shell.line(/^mock pid (\d+)$/))[1]);
      pids.push(pid);
      const port = Number((await shell.line(LINE))[2]);
      expect(await listening(port)).toBe(true);
      shell.child.kill(signal);
      await shell.exited;
      const ms = await freedAfter(port);
      expect(ms).toBeLessThan(5000);
      const deadline = Date.now() + 5000;
      while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(alive(pid)).toBe(false);
    });
  }

  it("--exit-on-stdin-close: closing its stdin stops it with exit 0", async () => {
    const run = start(process.execPath, [cli, "--port", "0", "--exit-on-stdin-close"]);
    const port = Number((await run.line(LINE))[2]);
    run.child.stdin.end();
    expect(await run.exited).toBe(0);
    expect(run.out()).toContain("stdin closed: stopping the mock");
    expect(await listening(port)).toBe(false);
  });

  it("without --exit-on-stdin-close, a closed stdin does not stop it", async () => {
    const run = start(process.execPath, [cli, "--port", "0"]);
    const [, url] = await run.line(LINE);
    run.child.stdin.end();
    // Ask twice, so the mock has handled the end of its stdin in between (it reads nothing).
    expect((await fetch(`${url}/clients.json?api_key=x`)).status).toBe(200);
    expect((await fetch(`${url}/clients.json?api_key=x`)).status).toBe(200);
    expect(run.child.exitCode).toBe(null);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
  });
});
