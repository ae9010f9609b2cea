"""Contract tests of an InvoiceXpress integration, against the local mock (see conftest.py)."""

from conftest import call

ACME = {"name": "Acme Lda", "code": "ACME", "fiscal_id": "508025338", "country": "Portugal"}


def new_invoice(client):
    return {
        "invoice": {
            "date": "03/12/2026",
            "due_date": "03/01/2027",
            "client": {"name": client["name"], "code": client["code"]},
            "items": [{"name": "Consulting", "unit_price": "100.0", "quantity": "2", "tax": {"name": "IVA23"}}],
        }
    }


def test_creates_a_client_and_an_invoice(mock_url):
    status, body = call(mock_url, "POST", "/clients.json", {"client": ACME})
    assert status == 201
    assert body["client"]["code"] == "ACME"

    status, body = call(mock_url, "POST", "/invoices.json", new_invoice(ACME))
    assert status == 201
    invoice = body["invoice"]
    assert invoice["status"] == "draft"
    assert invoice["total"] == 246  # 2 x 100.0, plus 23% VAT

    status, body = call(mock_url, "GET", f"/invoices/{invoice['id']}.json")
    assert status == 200
    assert body["invoice"]["client"]["code"] == "ACME"


def test_finalizes_the_invoice(mock_url):
    _, body = call(mock_url, "POST", "/invoices.json", new_invoice(ACME))
    invoice_id = body["invoice"]["id"]
    status, body = call(
        mock_url, "PUT", f"/invoices/{invoice_id}/change-state.json", {"invoice": {"state": "finalized"}}
    )
    assert status == 200
    assert body["invoice"]["status"] == "final"
    assert body["invoice"]["sequence_number"].startswith("1/")


def test_a_bad_date_is_a_422_that_names_the_field(mock_url):
    request = new_invoice(ACME)
    request["invoice"]["date"] = "2026-12-03"  # the API wants dd/mm/yyyy
    status, body = call(mock_url, "POST", "/invoices.json", request)
    assert status == 422
    assert "invoice.date" in body["errors"]["error"]


def test_a_missing_field_is_a_422_that_names_it(mock_url):
    status, body = call(mock_url, "POST", "/clients.json", {"client": {"name": "No code"}})
    assert status == 422
    assert "client.code" in body["errors"]["error"]


def test_each_test_starts_from_a_new_account(mock_url):
    # The tests above created clients and invoices; the reset before this one removed them.
    status, body = call(mock_url, "GET", "/clients.json")
    assert status == 200
    assert body["clients"] == []
    status, body = call(mock_url, "GET", "/__sandbox/state")
    assert status == 200
    assert body["documents"] == []


def test_the_sandbox_controls_have_a_contract(mock_url):
    status, body = call(mock_url, "GET", "/__sandbox/openapi.json")
    assert status == 200
    assert set(body["paths"]) >= {"/__sandbox/reset", "/__sandbox/state"}
