/** The clients resource: list, create, read, update, delete, find by name or code. */
import { Refusal } from "@ixpress/openapi";
import type { Account } from "./account.js";
import { clientOut, type Json, page, str } from "./render.js";
import { CLIENT_TEXT_FIELDS, type ClientRecord } from "./state.js";
import { bodyOf, type Handler, idParam } from "./types.js";

const nameTaken = () => new Refusal(422, "Name has already been taken", { shape: "errors-list" });

/** Every field but the name and the code (which the account's indexes follow). */
function clientFields(c: ClientRecord, input: Json): void {
  for (const k of CLIENT_TEXT_FIELDS) if (k in input) c[k] = str(input[k]);
  if (input.preferred_contact && typeof input.preferred_contact === "object") {
    const p = input.preferred_contact as Json;
    c.preferred_contact = { name: str(p.name), email: str(p.email), phone: str(p.phone) };
  }
  if (input.send_options !== undefined) c.send_options = String(input.send_options);
  if (input.payment_days !== undefined) c.payment_days = String(input.payment_days);
  if (input.tax_exemption_code !== undefined) c.tax_exemption_code = String(input.tax_exemption_code);
}

/** A new client with the account's next id (refused past the account's limit). */
export function newClient(a: Account, input: Json): ClientRecord {
  const c: ClientRecord = {
    id: a.state.next_ids.client,
    name: String(input.name),
    code: null,
    email: null,
    language: null,
    address: null,
    city: null,
    postal_code: null,
    country: null,
    fiscal_id: null,
    website: null,
    phone: null,
    fax: null,
    preferred_contact: null,
    observations: null,
    send_options: "1",
    payment_days: "0",
    tax_exemption_code: "M00",
  };
  c.code = str(input.code);
  clientFields(c, input);
  a.addClient(c);
  a.state.next_ids.client++;
  return c;
}

/** A document's client: the one with its code, else the one with its name, else a new one. */
export function documentClient(a: Account, input: Json): ClientRecord {
  const code = str(input.code);
  const byCode = code !== null ? a.clientByCode(code) : undefined;
  return byCode ?? a.clientByName(input.name) ?? newClient(a, input);
}

const clientOf = (req: Parameters<Handler>[1]) => (bodyOf(req).client ?? {}) as Json;

export const clientHandlers: Record<string, Handler> = {
  listClients: (a, req) => ({
    status: 200,
    body: page(a.clientsSorted(), req.query, "clients", clientOut),
  }),
  createClient: (a, req) => {
    const input = clientOf(req);
    if (a.clientByName(input.name)) throw nameTaken();
    return { status: 201, body: { client: clientOut(newClient(a, input)) } };
  },
  getClient: (a, req) => ({ status: 200, body: { client: clientOut(a.client(idParam(req, "client-id"))) } }),
  updateClient: (a, req) => {
    const c = a.client(idParam(req, "client-id"));
    const input = clientOf(req);
    if (typeof input.name === "string" && input.name !== c.name) {
      const other = a.clientByName(input.name);
      if (other && other !== c) throw nameTaken();
      a.renameClient(c, input.name);
    }
    if ("code" in input) a.setClientCode(c, str(input.code));
    clientFields(c, input);
    return { status: 200 };
  },
  deleteClient: (a, req) => {
    a.removeClient(a.client(idParam(req, "client-id")));
    return { status: 200 };
  },
  findClientByName: (a, req) => {
    const c = a.clientByName(req.query.get("client_name") ?? "");
    if (!c) throw new Refusal(404, "Client not found");
    return { status: 200, body: { client: clientOut(c) } };
  },
  findClientByCode: (a, req) => {
    const c = a.clientByCode(req.query.get("client_code") ?? "");
    if (!c) throw new Refusal(404, "Client not found");
    return { status: 200, body: { client: clientOut(c) } };
  },
};
