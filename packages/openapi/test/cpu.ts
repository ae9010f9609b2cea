// Milliseconds of CPU this process spends running `fn`: the measure of a speed bound in a test,
// which on a loaded machine would fail on wall-clock time although the code did the same work.
export function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
