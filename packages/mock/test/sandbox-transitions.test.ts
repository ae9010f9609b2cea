// The state machines live in one place: `x-transitions` on each change-state operation of the
// spec. This suite checks that data (its shape), that it agrees with the spec's enums (every
// event the request body can carry is in the machine and the reverse; every status in the
// machine is a DocumentStatus and every DocumentStatus is in some machine), that no description
// repeats a table by hand, that the docs render a table with every row, and that the sandbox
// runs exactly these machines. The behaviour of every transition is tried by
// sandbox-machines.test.ts against a table written out from the catalogue: a row added to
// `x-transitions` alone, or to that table alone, fails there.
import { listOperations, loadSpec, deref as toolkitDeref } from "@ixpress/openapi";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a script of the docs build, plain JavaScript without types
import { transitionTable } from "../../../docs/scripts/transitions.mjs";
import { type Machine, model } from "../src/sandbox/model.js";

type Json = Record<string, any>;
const spec = loadSpec() as Json;

const deref = (node: unknown): Json => toolkitDeref<Json>(spec, node) ?? {};

/** Every value the `state` field of a change-state body can take (every branch, every root key). */
function eventsOf(op: Json): Set<string> {
  const found = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (node: unknown, underState: boolean) => {
    const n = deref(node);
    if (!n || typeof n !== "object" || seen.has(n)) return;
    seen.add(n);
    if (underState) {
      for (const v of n.enum ?? []) found.add(v);
      if (n.const !== undefined) found.add(n.const);
    }
    for (const [k, v] of Object.entries(n.properties ?? {})) walk(v, k === "state");
    for (const key of ["oneOf", "anyOf", "allOf"]) for (const b of n[key] ?? []) walk(b, false);
    for (const key of ["if", "then", "else"]) if (n[key]) walk(n[key], false);
  };
  walk(deref(op.requestBody).content["application/json"].schema, false);
  return found;
}

const changeStates = listOperations().filter((o) => o.method === "put" && o.path.endsWith("/change-state.json"));
const statuses: string[] = deref(spec.components.schemas.DocumentStatus).enum;

describe("x-transitions, the one state machine", () => {
  it("every change-state operation carries one, in the documented shape", () => {
    expect(changeStates.length).toBeGreaterThanOrEqual(13);
    for (const o of changeStates) {
      const m = o.operation["x-transitions"] as Machine;
      expect(m, o.operationId).toBeDefined();
      expect(
        Object.keys(m).every((k) => ["refusal", "refuses", "rows"].includes(k)),
        o.operationId,
      ).toBe(true);
      expect(m.refusal).toMatch(/\S/);
      expect(m.rows.length).toBeGreaterThan(0);
      const pairs = new Set<string>();
      for (const r of m.rows) {
        expect(Object.keys(r).every((k) => ["from", "event", "to", "requires", "refusal"].includes(k))).toBe(true);
        for (const k of ["from", "event", "to"] as const) expect(typeof r[k]).toBe("string");
        // A field the event needs comes with the API's message when it is blank, and only then.
        expect(r.requires === undefined, `${o.operationId} ${r.from} ${r.event}`).toBe(r.refusal === undefined);
        const pair = `${r.from} ${r.event}`;
        expect(pairs.has(pair), `${o.operationId}: ${pair} twice`).toBe(false);
        pairs.add(pair);
      }
    }
  });

  it("its events are the request body's events, no more and no fewer", () => {
    for (const o of changeStates) {
      const { rows, refuses = [] } = o.operation["x-transitions"] as Machine;
      const taken = new Set(rows.map((r) => r.event));
      // An event the family's body carries but this type never takes is listed in `refuses`.
      expect(
        refuses.filter((e) => taken.has(e)),
        o.operationId,
      ).toEqual([]);
      expect(new Set([...taken, ...refuses]), o.operationId).toEqual(eventsOf(o.operation));
    }
  });

  it("its statuses are DocumentStatus values, and every DocumentStatus is in a machine", () => {
    const used = new Set<string>();
    for (const o of changeStates) {
      for (const r of (o.operation["x-transitions"] as Machine).rows) {
        expect(statuses, `${o.operationId}: ${r.from}`).toContain(r.from);
        expect(statuses, `${o.operationId}: ${r.to}`).toContain(r.to);
        used.add(r.from).add(r.to);
      }
    }
    expect([...used].sort()).toEqual([...statuses].sort());
  });

  it("no description repeats the table by hand; the docs render every row", () => {
    for (const o of changeStates) {
      const description = String(o.operation.description);
      expect(description, o.operationId).not.toMatch(/^\s*\|.*\|\s*$/m);
      const machine = o.operation["x-transitions"] as Machine;
      const table: string = transitionTable(machine);
      for (const r of machine.rows) expect(table).toContain(`| \`${r.from}\` | \`${r.event}\``);
      expect(table).toContain(machine.refusal);
    }
  });

  it("the sandbox runs exactly these machines, one per document type that has a change-state operation", () => {
    const { kinds, machines } = model();
    for (const o of changeStates) {
      const kind = kinds.find((k) => k.ops.change === o.operationId);
      expect(kind, o.operationId).toBeDefined();
      expect(machines.get(kind!.type)).toBe(o.operation["x-transitions"]);
    }
    expect(machines.size).toBe(changeStates.length);
  });
});
