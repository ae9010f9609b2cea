// 100 documents created and finalized in parallel get distinct numbers, 1 to 100 in their
// series, given in the order the finalizations reached the sandbox.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningMock, startMock } from "../src/index.js";
import { checked, documentBody, raw } from "./sandbox-helpers.js";

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ stateful: true });
});
afterAll(() => mock?.stop());

it("100 parallel creations and finalizations get distinct numbers, in order of finalization", async () => {
  const check = checked();
  const created = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      raw(mock, check, "POST", "/invoices.json", {
        ...documentBody("invoice"),
        proprietary_uid: `parallel-${i}`,
      }),
    ),
  );
  expect(created.map((r) => r.status)).toEqual(Array(100).fill(201));
  const ids = created.map((r) => r.body.invoice.id as number);
  expect(new Set(ids).size).toBe(100);

  const finalized = await Promise.all(
    ids.map((id) => raw(mock, check, "PUT", `/invoices/${id}/change-state.json`, { invoice: { state: "finalized" } })),
  );
  expect(finalized.map((r) => r.status)).toEqual(Array(100).fill(200));
  const numbers = finalized.map((r) => Number(String(r.body.invoice.sequence_number).split("/")[0]));
  expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  // ATCUDs are distinct too, each ending in its number.
  const atcuds = finalized.map((r) => String(r.body.invoice.atcud));
  expect(new Set(atcuds).size).toBe(100);
  atcuds.forEach((atcud, i) => expect(atcud.endsWith(`-${numbers[i]}`)).toBe(true));

  // The order the sandbox applied the finalizations in is the order of the numbers.
  const byOrder = mock
    .sandbox!.dump()
    .documents.filter((d) => d.type === "Invoice")
    .sort((a, b) => a.finalized_order! - b.finalized_order!);
  expect(byOrder.map((d) => d.number)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  const series = mock.sandbox!.dump().sequences[0]!;
  expect(series.numbers.invoice).toBe(100);
  expect(check.invalid).toEqual([]);

  // One more, after them all, is number 101.
  const next = await raw(mock, check, "POST", "/invoices.json", documentBody("invoice"));
  const fin = await raw(mock, check, "PUT", `/invoices/${next.body.invoice.id}/change-state.json`, {
    invoice: { state: "finalized" },
  });
  expect(fin.body.invoice.sequence_number).toBe(`101/${series.serie}`);
});
