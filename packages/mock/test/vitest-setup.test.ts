// The vitest globalSetup as users load it: it provides the URL of a running mock and its
// teardown stops it.
import net from "node:net";
import { describe, expect, it } from "vitest";
import setup from "../src/vitest.js";

const listening = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const s = net.connect({ host: hostname, port: Number(port) });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => (s.destroy(), resolve(false)));
  });

describe("@ixpress/mock/vitest", () => {
  it("provides ixpressMockUrl and stops the mock in its teardown", async () => {
    let url = "";
    const teardown = await setup({ provide: (_key, value) => (url = value) });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/clients.json?api_key=k`)).status).toBe(200);
    } finally {
      await teardown();
    }
    expect(await listening(url)).toBe(false);
  });
});
