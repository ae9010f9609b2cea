import { describe, expect, it } from "vitest";
import { decimal, formatDate, isDecimal, isValidDate, isValidNif, parseDate, toWritable } from "../src/index.js";

describe("formatDate / parseDate", () => {
  it("formats as dd/mm/yyyy", () => {
    expect(formatDate(new Date(2024, 1, 29))).toBe("29/02/2024");
    expect(formatDate("2017-12-03")).toBe("03/12/2017");
    expect(formatDate({ year: 2024, month: 1, day: 5 })).toBe("05/01/2024");
  });
  it("refuses impossible dates", () => {
    expect(() => formatDate("2023-02-29")).toThrow(RangeError);
    expect(() => formatDate({ year: 2024, month: 4, day: 31 })).toThrow(RangeError);
    expect(() => formatDate({ year: 2024, month: 13, day: 1 })).toThrow(RangeError);
    expect(() => formatDate(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => formatDate("03/12/2017")).toThrow(/yyyy-mm-dd/);
  });
  it("parses one- or two-digit days and months", () => {
    expect(parseDate("3/12/2017")).toEqual({ year: 2017, month: 12, day: 3 });
    expect(parseDate("29/02/2000")).toEqual({ year: 2000, month: 2, day: 29 });
    expect(parseDate(" 01/1/2024 ")).toEqual({ year: 2024, month: 1, day: 1 });
  });
  it("rejects impossible and malformed dates", () => {
    for (const bad of [
      "29/02/1900",
      "29/02/2023",
      "31/04/2024",
      "0/1/2024",
      "1/0/2024",
      "32/01/2024",
      "1/13/2024",
      "2024-01-01",
      "1/1/24",
      "",
      "aa/bb/cccc",
    ]) {
      expect(() => parseDate(bad), bad).toThrow(RangeError);
      expect(isValidDate(bad), bad).toBe(false);
    }
    expect(isValidDate("29/02/2024")).toBe(true);
  });
  it("round-trips", () => {
    for (const s of ["01/01/2024", "31/12/1999", "29/02/2024"]) {
      const d = parseDate(s);
      expect(formatDate(d)).toBe(s);
    }
  });
});

describe("decimal", () => {
  it.each([
    [100, undefined, "100"],
    ["100", undefined, "100"],
    ["12,5", undefined, "12.5"],
    [" 12.50 ", undefined, "12.5"],
    [0.1 + 0.2, 2, "0.30"],
    [1.005, 2, "1.01"],
    [2.675, 2, "2.68"],
    [9.995, 2, "10.00"],
    [-1.005, 2, "-1.01"],
    [-0.001, 2, "0.00"],
    [1e-7, undefined, "0.0000001"],
    [1e21, undefined, "1000000000000000000000"],
    [23, 2, "23.00"],
    ["007.10", undefined, "7.1"],
    [".5", undefined, "0.5"],
    ["5.", undefined, "5"],
    [0, 0, "0"],
    [0.5, 0, "1"],
  ] as const)("decimal(%s, %s) = %s", (value, places, out) => expect(decimal(value, places)).toBe(out));

  it("refuses what is not a finite decimal", () => {
    for (const bad of [Number.NaN, Infinity, "1.234,5", "1,234.5", "1e3", "abc", "", ".", "1 000"]) {
      expect(() => decimal(bad as never), String(bad)).toThrow(RangeError);
      expect(isDecimal(bad)).toBe(false);
    }
    expect(() => decimal(1, -1)).toThrow(RangeError);
    expect(isDecimal("3,14")).toBe(true);
    expect(isDecimal(null)).toBe(false);
  });
});

describe("isValidNif", () => {
  it("accepts valid fiscal numbers", () => {
    for (const nif of [
      "123456789",
      "999999990",
      "501442600",
      "PT 501 442 600",
      "pt123456789",
      123456789,
      "980000009",
      "450000001",
    ]) {
      expect(isValidNif(nif), String(nif)).toBe(true);
    }
  });
  it("rejects wrong check digits, lengths and first digits", () => {
    for (const nif of [
      "123456780",
      "999999991",
      "12345678",
      "1234567890",
      "12345678a",
      "",
      "400000008",
      "730000001",
      "960000003",
      "000000000",
    ]) {
      expect(isValidNif(nif), nif).toBe(false);
    }
  });
});

describe("toWritable", () => {
  it("leaves out the mb_reference object and keeps every other field, without touching the read document", () => {
    const read = {
      id: 7,
      status: "draft",
      observations: null,
      items: [{ name: "A", unit_price: "1.0", quantity: "2.0" }],
      mb_reference: { entity: "11249", value: 12.3, reference: "123 456 789" },
    };
    const writable = toWritable(read);
    expect(writable).toEqual({ id: 7, status: "draft", observations: null, items: read.items });
    expect("mb_reference" in writable).toBe(false);
    expect(read.mb_reference).toEqual({ entity: "11249", value: 12.3, reference: "123 456 789" });
    expect(writable.items).toBe(read.items);
  });

  it("returns a document without mb_reference unchanged in content", () => {
    expect(toWritable({ id: 1, status: "final", mb_reference: null })).toEqual({ id: 1, status: "final" });
    expect(toWritable({ id: 2, status: "final" })).toEqual({ id: 2, status: "final" });
  });
});
