// The log hook's layer: what a `response` event carries as its body. Loaded by the transport only
// for a client (or a call) with a `log` hook.
import type { Redactor } from "./redact.js";

const decoder = new TextDecoder();

/** The body of a `response` log event: parsed JSON with sensitive fields redacted, or redacted text. */
export function logBody(response: Response, buffer: ArrayBuffer | null, cut: boolean, redactor: Redactor): unknown {
  if (!buffer?.byteLength) return undefined;
  const body = decoder.decode(buffer);
  if (cut) return (redactor.cut ?? redactor.text)(body);
  try {
    if (/json/i.test(response.headers.get("content-type") ?? "")) return redactor.value(JSON.parse(body));
  } catch {
    // not JSON after all: log the text
  }
  return redactor.text(body);
}
