// The server stops with its client: when stdin ends (the MCP client quit or was killed), it
// closes and stops the in-process sandbox, and exits 0.
import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import { BIN } from "./harness.js";

it("exits 0 and stops the sandbox when stdin ends", async () => {
  const child = spawn(process.execPath, [BIN], {
    env: { PATH: process.env.PATH ?? "", IXPRESS_SANDBOX: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  try {
    let err = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString("utf8");
        const m = /the sandbox at (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on("close", () => reject(new Error(`exited before starting: ${err}`)));
    });
    expect((await fetch(`${url}/taxes.json?api_key=x`)).status).toBe(200);
    child.stdin.end();
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/taxes.json?api_key=x`)).rejects.toThrow();
  } finally {
    child.kill("SIGKILL");
  }
});
