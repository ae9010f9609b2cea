import { afterEach, describe, expect, it, vi } from "vitest";
import { createDeadlines } from "../src/sleep.js";

describe("createDeadlines: one timer for the deadlines in flight", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const fake = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });

  it("fires each deadline at its own time, in order, whatever the order they were set in", () => {
    fake();
    const watch = createDeadlines();
    const fired: Array<[string, number]> = [];
    const t0 = performance.now();
    for (const [name, ms] of [
      ["b", 100],
      ["a", 50],
      ["c", 200],
    ] as const)
      watch(ms, () => fired.push([name, performance.now() - t0]));
    vi.advanceTimersByTime(49);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(fired).toEqual([
      ["a", 50],
      ["b", 100],
      ["c", 200],
    ]);
    expect(vi.getTimerCount()).toBe(0); // nothing left in flight: no timer
  });

  it("a stopped deadline never fires; the timer armed for it moves on to the next", () => {
    fake();
    const watch = createDeadlines();
    const fired: string[] = [];
    const stopA = watch(50, () => fired.push("a"));
    watch(120, () => fired.push("b"));
    stopA();
    vi.advanceTimersByTime(119);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(["b"]);
  });

  it("an earlier deadline set after a later one re-arms the timer sooner", () => {
    fake();
    const watch = createDeadlines();
    const fired: string[] = [];
    const stopLong = watch(10_000, () => fired.push("long"));
    stopLong(); // ends early: the timer stays, without holding the process
    watch(30, () => fired.push("short"));
    vi.advanceTimersByTime(30);
    expect(fired).toEqual(["short"]);
    vi.advanceTimersByTime(20_000);
    expect(fired).toEqual(["short"]);
  });

  it("is driven by the timer even when the clock it reads does not move (setTimeout faked alone)", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const watch = createDeadlines();
    let fired = 0;
    watch(5_000, () => fired++);
    vi.advanceTimersByTime(5_000);
    expect(fired).toBe(1);
  });

  it("a deadline past the timer limit waits in steps, never firing at once", () => {
    fake();
    const watch = createDeadlines();
    let fired = 0;
    watch(2 ** 31 + 10_000, () => fired++);
    vi.advanceTimersByTime(2 ** 31 - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(10_001);
    expect(fired).toBe(1);
  });
});
