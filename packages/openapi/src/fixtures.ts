/**
 * Requests the API must refuse, built from the official examples with one thing broken
 * each. Our own suites send them to the mock (expecting 422) and to the validators
 * (expecting an error naming `expectAt`); other repos can reuse them the same way.
 */
export interface MalformedRequest {
  /** What is broken, in a few words. */
  name: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Concrete path, without the API key. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Where the validator must place the problem (a prefix of the issue's `at`). */
  expectAt: string;
  /** One of the readable lines `validateRequest(...).errors` must contain; it names the field. */
  expectError?: string;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The minimal invoice of the official "create invoice" curl example. */
export const minimalInvoice = {
  invoice: {
    date: "03/12/2017",
    due_date: "03/12/2017",
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: "5" }],
  },
};

/** The client of the official "create client" example, reduced to a few fields. */
export const minimalClient = {
  client: { name: "Client Name", code: "12345", email: "foo@bar.com", send_options: "1" },
};

/** The quote of the official "update estimate" example, reduced to its required fields. */
export const minimalQuote = {
  quote: {
    date: "3/12/2017",
    due_date: "03/12/2017",
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: "5" }],
  },
};

/** The purchase order of the official curl example. */
export const minimalPurchaseOrder = {
  purchase_order: {
    date: "03/12/2017",
    due_date: "03/12/2017",
    loaded_at: "07/05/2017",
    delivery_site: "Lisboa",
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Item Name", description: "Item Description", unit_price: "100", quantity: "5" }],
  },
};

/** A shipping guide in the shape of the vendor's create-guide example. */
export const minimalGuide = {
  shipping: {
    date: "22/11/2025",
    due_date: "22/11/2025",
    loaded_at: "23/11/2025 09:00:00",
    address_from: { detail: "Rua 5", city: "Lisboa", postal_code: "1000-555", country: "Portugal" },
    address_to: { detail: "Avenida 10", city: "Porto", postal_code: "2000-555", country: "Portugal" },
    client: { name: "Client Name", code: "A1" },
    items: [{ name: "Pallet", description: "Pallet of A4 paper", unit_price: "10", quantity: "3" }],
  },
};

function invoiceWith(edit: (doc: Record<string, any>) => void): unknown {
  const body = clone(minimalInvoice) as { invoice: Record<string, any> };
  edit(body.invoice);
  return body;
}

export const malformedRequests: MalformedRequest[] = [
  {
    name: "client without a name",
    method: "POST",
    path: "/clients.json",
    body: { client: { code: "12345", email: "foo@bar.com" } },
    expectAt: "body.client",
    expectError: 'body.client: must have the property "name"',
  },
  {
    name: "client body not wrapped in `client`",
    method: "POST",
    path: "/clients.json",
    body: { name: "Client Name", code: "12345" },
    expectAt: "body",
    expectError: 'body: must have the property "client"',
  },
  {
    name: "client with an invalid e-mail",
    method: "POST",
    path: "/clients.json",
    body: { client: { name: "Client Name", code: "12345", email: "not-an-email" } },
    expectAt: "body.client.email",
    expectError: 'body.client.email: must match format "email", got "not-an-email"',
  },
  {
    name: "Portuguese client with an eight-digit NIF",
    method: "POST",
    path: "/clients.json",
    body: { client: { name: "Client Name", code: "12345", country: "Portugal", fiscal_id: "12345678" } },
    expectAt: "body.client.fiscal_id",
    expectError: 'body.client.fiscal_id: must be a Portuguese NIF (nine digits), got "12345678"',
  },
  {
    name: "invoice for a Portuguese client with a NIF in words",
    method: "POST",
    path: "/invoices.json",
    body: invoiceWith(
      (d) => (d.client = { name: "Client Name", code: "A1", country: "Portugal", fiscal_id: "five oh three" }),
    ),
    expectAt: "body.invoice.client.fiscal_id",
  },
  {
    name: "client with send_options 7",
    method: "POST",
    path: "/clients.json",
    body: { client: { name: "Client Name", code: "12345", send_options: 7 } },
    expectAt: "body.client.send_options",
    expectError: "body.client.send_options: must be <= 3",
  },
  {
    name: "invoice without items",
    method: "POST",
    path: "/invoices.json",
    body: invoiceWith((d) => delete d.items),
    expectAt: "body.invoice",
    expectError: 'body.invoice: must have the property "items"',
  },
  {
    name: "invoice with items not an array",
    method: "POST",
    path: "/invoices.json",
    body: invoiceWith((d) => (d.items = { name: "Item Name", description: "x", unit_price: "1", quantity: "1" })),
    expectAt: "body.invoice.items",
    expectError: "body.invoice.items: must be array",
  },
  {
    name: "invoice with an ISO date instead of dd/mm/yyyy",
    method: "POST",
    path: "/invoices.json",
    body: invoiceWith((d) => (d.date = "2017-12-03")),
    expectAt: "body.invoice.date",
    expectError: 'body.invoice.date: must be a date written dd/mm/yyyy, got "2017-12-03"',
  },
  {
    name: "invoice line with discount 150",
    method: "POST",
    path: "/invoice_receipts.json",
    body: invoiceWith((d) => (d.items[0].discount = 150)),
    expectAt: "body.invoice.items[0].discount",
    expectError: "body.invoice.items[0].discount: must be <= 100",
  },
  {
    name: "invoice line with a negative unit_price",
    method: "POST",
    path: "/credit_notes.json",
    body: invoiceWith((d) => (d.items[0].unit_price = -5)),
    expectAt: "body.invoice.items[0].unit_price",
    expectError: "body.invoice.items[0].unit_price: must be >= 0",
  },
  {
    name: "invoice line with a non-numeric unit_price",
    method: "POST",
    path: "/debit_notes.json",
    body: invoiceWith((d) => (d.items[0].unit_price = "cem euros")),
    expectAt: "body.invoice.items[0].unit_price",
    expectError: 'body.invoice.items[0].unit_price: must match pattern "^[0-9]+(\\.[0-9]+)?$", got "cem euros"',
  },
  {
    name: "invoice with an unknown global_discount.value_type",
    method: "POST",
    path: "/simplified_invoices.json",
    body: invoiceWith((d) => (d.global_discount = { value_type: "fixed", value: 10 })),
    expectAt: "body.invoice.global_discount.value_type",
    expectError: "body.invoice.global_discount.value_type: must be one of: percentage, absolute",
  },
  {
    name: "invoice with retention 100",
    method: "POST",
    path: "/invoices.json",
    body: invoiceWith((d) => (d.retention = "100")),
    expectAt: "body.invoice.retention",
    expectError: 'body.invoice.retention: must match pattern "^[0-9]{1,2}(\\.[0-9]{1,2})?$", got "100"',
  },
  {
    name: "estimate under the wrong root key",
    method: "PUT",
    path: "/quotes/1.json",
    body: { invoice: clone(minimalQuote.quote) },
    expectAt: "body",
    expectError: 'body: must have the property "quote"',
  },
  {
    name: "purchase order without loaded_at",
    method: "POST",
    path: "/purchase_orders.json",
    body: (() => {
      const body = clone(minimalPurchaseOrder) as { purchase_order: Record<string, unknown> };
      delete body.purchase_order.loaded_at;
      return body;
    })(),
    expectAt: "body.purchase_order",
    expectError: 'body.purchase_order: must have the property "loaded_at"',
  },
  {
    name: "guide with loaded_at missing its time",
    method: "POST",
    path: "/shippings.json",
    body: { shipping: { ...clone(minimalGuide.shipping), loaded_at: "23/11/2025" } },
    expectAt: "body.shipping.loaded_at",
  },
  {
    name: "transport guide under the invoice key",
    method: "POST",
    path: "/transports.json",
    body: { invoice: clone(minimalGuide.shipping) },
    expectAt: "body",
  },
  {
    name: "quote canceled without a message",
    method: "PUT",
    path: "/quotes/1/change-state.json",
    body: { quote: { state: "canceled" } },
    expectAt: "body.quote",
  },
  {
    name: "guide sent an estimate event",
    method: "PUT",
    path: "/shippings/1/change-state.json",
    body: { shipping: { state: "accept" } },
    expectAt: "body.shipping",
  },
  {
    name: "invoice change-state with an estimate event",
    method: "PUT",
    path: "/invoices/1/change-state.json",
    body: { invoice: { state: "accepted" } },
    expectAt: "body.invoice.state",
  },
  {
    name: "credit note canceled without a message",
    method: "PUT",
    path: "/credit_notes/1/change-state.json",
    body: { invoice: { state: "canceled" } },
    expectAt: "body.invoice",
  },
  {
    name: "payment with an unknown payment_mechanism",
    method: "POST",
    path: "/documents/1/partial_payments.json",
    body: { partial_payment: { amount: "10", payment_mechanism: "XX" } },
    expectAt: "body.partial_payment.payment_mechanism",
  },
  {
    name: "receipt canceled without a message",
    method: "PUT",
    path: "/receipts/1/change-state.json",
    body: { receipt: { state: "canceled" } },
    expectAt: "body.receipt",
  },
  {
    name: "client list with page=abc",
    method: "GET",
    path: "/clients.json",
    query: { page: "abc" },
    expectAt: "query.page",
    expectError: "query.page: must be integer",
  },
];
