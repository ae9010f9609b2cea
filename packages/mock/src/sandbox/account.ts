/**
 * The account a sandbox serves: its state (plain records, what a dump writes) and the indexes
 * kept beside it so that no request walks the whole account to find one record. Every change
 * of a record the indexes look at goes through a method here (add, rename, set status), which
 * keeps them true; the resource modules read and render through it.
 */
import { Refusal } from "@ixpress/openapi";
import { type KindInfo, model } from "./model.js";
import type { ClientRecord, DocumentRecord, ItemRecord, SandboxState, SequenceRecord, TaxRecord } from "./state.js";

/** The documents' refusal (`{"errors":{"error":…}}`), the shape of every document operation. */
export const refuse = (status: number, message: string) => new Refusal(status, message);
export const documentNotFound = () => refuse(404, "Document not found");

/** The clients' order (the same as `localeCompare`'s, without its cost per call). */
const collator = new Intl.Collator();

export class Account {
  private docs = new Map<number, DocumentRecord>();
  private clientsById = new Map<number, ClientRecord>();
  private clientsByName = new Map<string, ClientRecord>();
  /** The clients by name, as listed; rebuilt after a change. */
  private byName: ClientRecord[] | undefined;
  /** The clients with each code, oldest first (codes are not unique in the API). */
  private clientsByCode = new Map<string, ClientRecord[]>();
  private itemsByName = new Map<string, ItemRecord>();
  /** Receipts by the document they pay. */
  private receiptsOf = new Map<number, DocumentRecord[]>();
  /** How many documents each client has. */
  private documentsOf = new Map<number, number>();
  /** The documents of each family list (`invoices`, `estimates`, …), in id order. */
  private families = new Map<string, DocumentRecord[]>();
  /** How many of each family's documents are deleted (the lists leave them out by default). */
  private deletedIn = new Map<string, number>();

  constructor(
    readonly state: SandboxState,
    readonly now: () => Date,
    /** The most documents the account holds; clients and items are bounded by it too. */
    readonly maxDocuments: number,
    /** How many times PDF, QR-code and SAF-T requests answer 202 before the 200. */
    readonly polls: number,
  ) {
    for (const c of state.clients) this.indexClient(c);
    for (const it of state.items) this.itemsByName.set(it.name, it);
    for (const d of state.documents) this.indexDocument(d);
  }

  /** Polls seen per asynchronous job (not part of the state: a reset starts them over). */
  private jobs = new Map<string, number>();

  /** `true` while the job still answers 202 (counting this poll). */
  pending(key: string): boolean {
    const seen = this.jobs.get(key) ?? 0;
    if (seen >= this.polls) return false;
    this.jobs.set(key, seen + 1);
    return true;
  }

  // ---------------------------------------------------------------- kinds

  kindOf(d: DocumentRecord): KindInfo {
    return model().byType.get(d.type)!;
  }

  // ---------------------------------------------------------------- clients

  private indexClient(c: ClientRecord): void {
    this.byName = undefined;
    this.clientsById.set(c.id, c);
    if (!this.clientsByName.has(c.name)) this.clientsByName.set(c.name, c);
    this.indexCode(c);
  }

  private indexCode(c: ClientRecord): void {
    if (c.code === null) return;
    const list = this.clientsByCode.get(c.code) ?? [];
    list.push(c);
    list.sort((x, y) => x.id - y.id);
    this.clientsByCode.set(c.code, list);
  }

  private unindexCode(c: ClientRecord): void {
    if (c.code === null) return;
    const list = (this.clientsByCode.get(c.code) ?? []).filter((x) => x !== c);
    if (list.length > 0) this.clientsByCode.set(c.code, list);
    else this.clientsByCode.delete(c.code);
  }

  /** Changes a client's code (the one way codes change, so the index stays true). */
  setClientCode(c: ClientRecord, code: string | null): void {
    this.unindexCode(c);
    c.code = code;
    this.indexCode(c);
  }

  client(id: number): ClientRecord {
    const c = this.clientsById.get(id);
    if (!c) throw refuse(404, "Client not found");
    return c;
  }

  /** Every client in the order the list answers them: by name, then id. */
  clientsSorted(): ClientRecord[] {
    this.byName ??= [...this.state.clients].sort((x, y) => collator.compare(x.name, y.name) || x.id - y.id);
    return this.byName;
  }

  clientById(id: number): ClientRecord | undefined {
    return this.clientsById.get(id);
  }

  clientByName(name: unknown): ClientRecord | undefined {
    return typeof name === "string" ? this.clientsByName.get(name) : undefined;
  }

  /** The first client with this code (codes are not unique in the API). */
  clientByCode(code: string): ClientRecord | undefined {
    return this.clientsByCode.get(code)?.[0];
  }

  addClient(c: ClientRecord): void {
    this.ensureRoom(this.state.clients.length, "clients");
    this.state.clients.push(c);
    this.indexClient(c);
  }

  renameClient(c: ClientRecord, name: string): void {
    this.byName = undefined;
    if (this.clientsByName.get(c.name) === c) this.clientsByName.delete(c.name);
    c.name = name;
    this.clientsByName.set(name, c);
  }

  removeClient(c: ClientRecord): void {
    if ((this.documentsOf.get(c.id) ?? 0) > 0) {
      throw new Refusal(422, "The client has documents and cannot be deleted", { shape: "errors-list" });
    }
    this.state.clients = this.state.clients.filter((x) => x !== c);
    this.byName = undefined;
    this.clientsById.delete(c.id);
    this.unindexCode(c);
    if (this.clientsByName.get(c.name) === c) {
      this.clientsByName.delete(c.name);
      const other = this.state.clients.find((x) => x.name === c.name);
      if (other) this.clientsByName.set(other.name, other);
    }
  }

  // ---------------------------------------------------------------- catalogue

  itemByName(name: unknown): ItemRecord | undefined {
    return typeof name === "string" ? this.itemsByName.get(name) : undefined;
  }

  addItem(it: ItemRecord): void {
    this.ensureRoom(this.state.items.length, "items");
    this.state.items.push(it);
    this.itemsByName.set(it.name, it);
  }

  renameItem(it: ItemRecord, name: string): void {
    this.itemsByName.delete(it.name);
    it.name = name;
    this.itemsByName.set(name, it);
  }

  removeItem(it: ItemRecord): void {
    this.state.items = this.state.items.filter((x) => x !== it);
    this.itemsByName.delete(it.name);
  }

  taxByName(name: unknown): TaxRecord | undefined {
    return typeof name === "string" ? this.state.taxes.find((t) => t.name === name) : undefined;
  }

  defaultTax(): TaxRecord | undefined {
    return this.state.taxes.find((t) => t.default_tax === 1);
  }

  sequenceById(id: number): SequenceRecord | undefined {
    return this.state.sequences.find((s) => s.id === id);
  }

  defaultSequence(): SequenceRecord {
    return this.state.sequences.find((s) => s.default_sequence === 1) ?? this.state.sequences[0]!;
  }

  // ---------------------------------------------------------------- documents

  private indexDocument(d: DocumentRecord): void {
    this.docs.set(d.id, d);
    this.documentsOf.set(d.client_id, (this.documentsOf.get(d.client_id) ?? 0) + 1);
    if (d.owner_id !== null && d.payment) {
      const list = this.receiptsOf.get(d.owner_id) ?? [];
      list.push(d);
      this.receiptsOf.set(d.owner_id, list);
    }
    const family = this.kindOf(d).family;
    const list = this.families.get(family) ?? [];
    list.push(d);
    this.families.set(family, list);
    if (d.status === "deleted") this.deletedIn.set(family, (this.deletedIn.get(family) ?? 0) + 1);
  }

  /** Adds a document with the next id; refused once the account holds `maxDocuments`. */
  addDocument(d: DocumentRecord): void {
    this.ensureRoom(this.state.documents.length, "documents");
    d.id = this.state.next_ids.document++;
    this.state.documents.push(d);
    this.indexDocument(d);
  }

  /** Refuses a new record past the limit, in the documents' error shape. */
  ensureRoom(count: number, what: string): void {
    if (count < this.maxDocuments) return;
    throw refuse(
      422,
      `The sandbox holds at most ${this.maxDocuments} ${what} (the maxDocuments option of startMock, --max-documents of the CLI): reset it or start it with a higher limit`,
    );
  }

  /** Moves a document to a status (the one way statuses change, so the lists' counts stay true). */
  setStatus(d: DocumentRecord, status: string): void {
    const family = this.kindOf(d).family;
    const was = d.status === "deleted" ? 1 : 0;
    const is = status === "deleted" ? 1 : 0;
    if (was !== is) this.deletedIn.set(family, (this.deletedIn.get(family) ?? 0) - was + is);
    d.status = status;
  }

  /** Moves a document to another client (an update naming one). */
  setClient(d: DocumentRecord, client: ClientRecord): void {
    this.documentsOf.set(d.client_id, (this.documentsOf.get(d.client_id) ?? 1) - 1);
    d.client_id = client.id;
    this.documentsOf.set(client.id, (this.documentsOf.get(client.id) ?? 0) + 1);
  }

  documentById(id: number): DocumentRecord | undefined {
    return this.docs.get(id);
  }

  anyDocument(id: number): DocumentRecord {
    const d = this.docs.get(id);
    if (!d) throw documentNotFound();
    return d;
  }

  /** A document of this kind (an id of another kind is not found, as on the real routes). */
  document(id: number, kind: KindInfo): DocumentRecord {
    const d = this.docs.get(id);
    if (!d || d.type !== kind.type) throw documentNotFound();
    return d;
  }

  /** The documents of a family list, oldest first, and how many of them are deleted. */
  family(key: string): { docs: readonly DocumentRecord[]; deleted: number } {
    return { docs: this.families.get(key) ?? [], deleted: this.deletedIn.get(key) ?? 0 };
  }

  receiptsFor(d: DocumentRecord): readonly DocumentRecord[] {
    return this.receiptsOf.get(d.id) ?? [];
  }

  /** The documents that name `d` as their owner, and the one `d` names. */
  related(d: DocumentRecord): DocumentRecord[] {
    return this.state.documents.filter(
      (x) => x.status !== "deleted" && (x.owner_id === d.id || (d.owner_id !== null && x.id === d.owner_id)),
    );
  }
}
