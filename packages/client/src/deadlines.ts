import { clampWait } from "./sleep.js";

type Timer = ReturnType<typeof setTimeout> & { ref?: () => unknown; unref?: () => unknown };

/**
 * Deadlines sharing one timer: `watch(ms, fire)` calls `fire` after `ms` unless the function it
 * returns is called first. The timer is armed for the earliest deadline in flight and is not
 * cleared when that one ends early: when it fires, it fires what is due and re-arms for the
 * next. While no deadline is in flight it does not keep the process alive (`unref`, or cleared
 * where timers have no `unref`). A call no longer sets and clears a timer of its own.
 */
export function createDeadlines(): (ms: number, fire: () => void) => () => void {
  const live = new Set<{ at: number; fire: () => void }>();
  let timer: Timer | undefined;
  let armedAt = Infinity;
  const arm = (at: number, now: number) => {
    if (timer !== undefined) {
      if (at >= armedAt) return;
      clearTimeout(timer);
    }
    // When it fires: the deadline, or sooner when the deadline is past the timer limit.
    const delay = clampWait(at - now);
    armedAt = now + delay;
    timer = setTimeout(check, delay) as Timer;
  };
  const check = () => {
    // The timer's own clock counts too: when it fires, its moment has come.
    const now = Math.max(performance.now(), armedAt);
    timer = undefined;
    armedAt = Infinity;
    let next = Infinity;
    for (const w of live) {
      if (w.at <= now) {
        live.delete(w);
        w.fire();
      } else if (w.at < next) next = w.at;
    }
    if (next < Infinity) arm(next, now);
  };
  return (ms, fire) => {
    const now = performance.now();
    const w = { at: now + ms, fire };
    if (live.size === 0) timer?.ref?.();
    live.add(w);
    arm(w.at, now);
    return () => {
      if (!live.delete(w) || live.size > 0 || timer === undefined) return;
      if (timer.unref) timer.unref();
      else {
        clearTimeout(timer);
        timer = undefined;
        armedAt = Infinity;
      }
    };
  };
}
