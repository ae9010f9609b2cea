// The same five calls with openapi-fetch alone (the baseline of the type-check benchmark).

import type { paths } from "@ixpress/client";
import createFetchClient from "openapi-fetch";

const ix = createFetchClient<paths>({ baseUrl: "https://acme.app.invoicexpress.com" });

export async function five() {
  const clients = (await ix.GET("/clients.json", { params: { query: { page: 1, per_page: 50 } } })).data!;
  const invoices = await ix.GET("/invoices.json", { params: { query: { "type[]": ["Invoice"], page: 2 } } });
  const created = await ix.POST("/invoices.json", {
    body: {
      invoice: {
        date: "01/02/2024",
        due_date: "01/03/2024",
        client: { name: clients.clients[0]?.name ?? "Client", code: "A1" },
        items: [{ name: "Item", description: "Thing", unit_price: "10", quantity: 1 }],
      },
      proprietary_uid: "uid-1",
    },
  });
  const email = await ix.PUT("/invoices/{document-id}/email-document.json", {
    params: { path: { "document-id": created.data?.invoice.id ?? 1 } },
    body: { message: { client: { email: "a@b.pt", save: "0" }, subject: "Invoice", body: "Attached." } },
  });
  const client = await ix.POST("/clients.json", { body: { client: { name: "New", code: "N1" } } });
  return [invoices.data?.invoices.length, email.response.status, client.data?.client.id];
}
