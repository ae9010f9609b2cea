// The layers under Node: imported up front, there from the first request (see layer.ts).
import * as deadlines from "./deadlines.js";
import type { Layer, Layers } from "./layer.js";
import * as log from "./log.js";
import * as rateLimit from "./rate-limit.js";
import * as retry from "./retry.js";

const there = <T>(value: T): Layer<T> => ({ value, load: () => Promise.resolve(value) });

export const layers: Layers = {
  retry: there(retry),
  rateLimit: there(rateLimit),
  timeout: there(deadlines),
  log: there(log),
};
