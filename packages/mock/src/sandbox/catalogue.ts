/** The catalogue: items, taxes and series (sequences). */
import { Refusal } from "@ixpress/openapi";
import type { Account } from "./account.js";
import { itemOut, type Json, num, page, sequenceOut, str } from "./render.js";
import { type ItemRecord, registeredCodes, type SequenceRecord, type TaxRecord } from "./state.js";
import { bodyOf, type Handler, idParam } from "./types.js";

const itemRefusal = (status: number, message: string) => new Refusal(status, message, { shape: "errors-objects" });
const seriesRefusal = (status: number, code: string, message: string) =>
  new Refusal(status, message, { shape: { code } });

function item(a: Account, id: number): ItemRecord {
  const it = a.state.items.find((x) => x.id === id);
  if (!it) throw itemRefusal(404, "Item not found");
  return it;
}

function tax(a: Account, id: number): TaxRecord {
  const t = a.state.taxes.find((x) => x.id === id);
  if (!t) throw new Refusal(404, "Tax not found");
  return t;
}

function sequence(a: Account, id: number): SequenceRecord {
  const s = a.sequenceById(id);
  if (!s) throw seriesRefusal(404, "006", "The series doesn't exist.");
  return s;
}

function checkTaxValue(value: unknown): number {
  const v = num(value, Number.NaN);
  if (!(v >= 0 && v <= 99.99)) throw new Refusal(422, "must be between 0 and 99.99", { shape: { field: "value" } });
  return v;
}

const taxNameTaken = () => new Refusal(422, "is not available.", { shape: { field: "name" } });

/** Makes one record of a list the default (`default_tax`, `default_sequence`). */
function makeDefault<T extends { default_tax?: 0 | 1; default_sequence?: 0 | 1 }>(
  list: T[],
  chosen: T,
  key: "default_tax" | "default_sequence",
) {
  for (const x of list) x[key] = x === chosen ? 1 : 0;
}

const root = (req: Parameters<Handler>[1], key: string) => (bodyOf(req)[key] ?? {}) as Json;

export const catalogueHandlers: Record<string, Handler> = {
  listItems: (a, req) => ({
    status: 200,
    body: page(
      [...a.state.items].sort((x, y) => x.id - y.id),
      req.query,
      "items",
      (i) => itemOut(a, i),
    ),
  }),
  createItem: (a, req) => {
    const input = root(req, "item");
    if (a.itemByName(input.name)) throw itemRefusal(422, "Name has already been taken");
    const t = input.tax ? a.taxByName((input.tax as Json).name) : undefined;
    const it: ItemRecord = {
      id: a.state.next_ids.item,
      name: String(input.name),
      description: str(input.description),
      unit_price: num(input.unit_price),
      unit: str(input.unit),
      tax_id: (t ?? a.defaultTax())?.id ?? null,
    };
    a.addItem(it);
    a.state.next_ids.item++;
    return { status: 201, body: { item: itemOut(a, it) } };
  },
  getItem: (a, req) => ({ status: 200, body: { item: itemOut(a, item(a, idParam(req, "item-id"))) } }),
  updateItem: (a, req) => {
    const it = item(a, idParam(req, "item-id"));
    const input = root(req, "item");
    if (typeof input.name === "string" && input.name !== it.name) {
      const other = a.itemByName(input.name);
      if (other && other !== it) throw itemRefusal(422, "Name has already been taken");
      if (a.state.documents.some((d) => d.lines.some((l) => l.name === it.name))) {
        throw itemRefusal(422, "Name can't be changed because it is already associated with invoices");
      }
      a.renameItem(it, input.name);
    }
    if ("description" in input) it.description = str(input.description);
    if ("unit_price" in input) it.unit_price = num(input.unit_price);
    if ("unit" in input) it.unit = str(input.unit);
    if (input.tax && typeof input.tax === "object") it.tax_id = a.taxByName((input.tax as Json).name)?.id ?? null;
    return { status: 200 };
  },
  deleteItem: (a, req) => {
    a.removeItem(item(a, idParam(req, "item-id")));
    return { status: 200 };
  },

  listTaxes: (a) => ({ status: 200, body: { taxes: a.state.taxes.map((t) => ({ ...t })) } }),
  createTax: (a, req) => {
    const input = root(req, "tax");
    if (a.taxByName(input.name)) throw taxNameTaken();
    const value = checkTaxValue(input.value);
    const t: TaxRecord = {
      id: a.state.next_ids.tax++,
      name: String(input.name),
      value,
      region: str(input.region) ?? "PT",
      code: str(input.code) ?? (value === 0 ? "ISE" : "NOR"),
      default_tax: 0,
    };
    a.state.taxes.push(t);
    if (String(input.default_tax ?? "0") === "1") makeDefault(a.state.taxes, t, "default_tax");
    return { status: 201, body: { tax: { ...t } } };
  },
  getTax: (a, req) => ({ status: 200, body: { tax: { ...tax(a, idParam(req, "tax-id")) } } }),
  updateTax: (a, req) => {
    const t = tax(a, idParam(req, "tax-id"));
    const input = root(req, "tax");
    if (typeof input.name === "string" && input.name !== t.name) {
      if (a.state.taxes.some((x) => x !== t && x.name === input.name)) throw taxNameTaken();
      t.name = input.name;
    }
    if ("value" in input) t.value = checkTaxValue(input.value);
    if ("region" in input) {
      if (str(input.region) === null) throw new Refusal(422, "Tax region is empty", { shape: { field: "base" } });
      t.region = String(input.region);
    }
    if ("code" in input && str(input.code) !== null) t.code = String(input.code);
    if (String(input.default_tax ?? "") === "1") makeDefault(a.state.taxes, t, "default_tax");
    return { status: 200 };
  },
  deleteTax: (a, req) => {
    const t = tax(a, idParam(req, "tax-id"));
    a.state.taxes = a.state.taxes.filter((x) => x !== t);
    return { status: 200 };
  },

  listSequences: (a) => ({ status: 200, body: { sequences: a.state.sequences.map(sequenceOut) } }),
  createSequence: (a, req) => {
    const input = root(req, "sequence");
    const serie = String(input.serie ?? "");
    if (!/^[A-Za-z0-9._-]{1,30}$/.test(serie)) throw seriesRefusal(422, "001", "Sequence name not allowed.");
    if (a.state.sequences.some((s) => s.serie === serie)) throw seriesRefusal(422, "002", "The series already exists.");
    const id = a.state.next_ids.sequence++;
    const s: SequenceRecord = {
      id,
      serie,
      default_sequence: 0,
      numbers: {},
      validation_codes: registeredCodes(id),
      registered: true,
    };
    a.state.sequences.push(s);
    if (String(input.default_sequence ?? "0") === "1") makeDefault(a.state.sequences, s, "default_sequence");
    return { status: 201, body: { sequence: sequenceOut(s) } };
  },
  getSequence: (a, req) => ({ status: 200, body: { sequence: sequenceOut(sequence(a, idParam(req, "sequence-id"))) } }),
  setCurrentSequence: (a, req) => {
    makeDefault(a.state.sequences, sequence(a, idParam(req, "sequence-id")), "default_sequence");
    return { status: 200 };
  },
  registerSequence: (a, req) => {
    const s = sequence(a, idParam(req, "sequence-id"));
    if (s.registered) throw seriesRefusal(409, "005", "All series are already registered.");
    s.registered = true;
    s.validation_codes = registeredCodes(s.id);
    return { status: 200, body: { sequences: [sequenceOut(s)] } };
  },
};
