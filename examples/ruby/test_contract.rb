# Contract tests of an InvoiceXpress integration, against the local mock, with minitest.
#
# The mock is the single executable `ixpress-mock` (no Node.js needed), or the one-file
# `ixpress-mock.cjs` run by Node. Say which with IXPRESS_MOCK (default: `ixpress-mock` on PATH).
require "json"
require "net/http"
require "timeout"
require "minitest/autorun"

module Mock
  # Starts the mock once for the run; returns its process and its URL.
  def self.start
    mock = ENV.fetch("IXPRESS_MOCK", "ixpress-mock")
    command = mock.end_with?(".cjs") ? [ENV.fetch("IXPRESS_NODE", "node"), mock] : [mock]
    # An array, not a string: no shell between this process and the mock.
    io = IO.popen([*command, "--stateful", "--port", "0"])
    # --port 0 picks a free port; the first line says which, once the mock answers.
    line = Timeout.timeout(30) { io.gets } # "InvoiceXpress mock listening on http://127.0.0.1:PORT"
    url = line && line[%r{listening on (http://\S+)}, 1]
    raise "the mock did not start: #{line.inspect}" unless url
    [io, url]
  end

  PROCESS, URL = start
  Minitest.after_run do
    Process.kill("TERM", PROCESS.pid) # SIGTERM: the mock stops and exits with 0
    _, status = Process.wait2(PROCESS.pid)
    raise "the mock exited with #{status.exitstatus}" unless status.exitstatus == 0
  end

  # One request; returns the status and the parsed JSON body (or nil).
  def self.call(method, path, body = nil)
    uri = URI(URL + path)
    uri.query = "api_key=test" unless path.start_with?("/__sandbox")
    request = Net::HTTP.const_get(method.capitalize).new(uri, "Accept" => "application/json")
    request.body = body.to_json if body
    request["Content-Type"] = "application/json" if body
    response = Net::HTTP.start(uri.host, uri.port, read_timeout: 10) { |http| http.request(request) }
    [response.code.to_i, response.body.to_s.empty? ? nil : JSON.parse(response.body)]
  end
end

class ContractTest < Minitest::Test
  # Tests run in a random order: each one starts from a new, empty sandbox account.
  def setup
    Mock.call("POST", "/__sandbox/reset")
  end

  ACME = { name: "Acme Lda", code: "ACME", fiscal_id: "508025338", country: "Portugal" }.freeze

  def new_invoice
    { invoice: { date: "03/12/2026", due_date: "03/01/2027", client: { name: ACME[:name], code: ACME[:code] },
                 items: [{ name: "Consulting", unit_price: "100.0", quantity: "2", tax: { name: "IVA23" } }] } }
  end

  def test_creates_a_client_and_an_invoice
    status, body = Mock.call("POST", "/clients.json", { client: ACME })
    assert_equal 201, status
    assert_equal "ACME", body["client"]["code"]

    status, body = Mock.call("POST", "/invoices.json", new_invoice)
    assert_equal 201, status
    assert_equal "draft", body["invoice"]["status"]
    assert_equal 246, body["invoice"]["total"] # 2 x 100.0, plus 23% VAT
  end

  def test_a_bad_date_is_a_422_that_names_the_field
    request = new_invoice
    request[:invoice][:date] = "2026-12-03" # the API wants dd/mm/yyyy
    status, body = Mock.call("POST", "/invoices.json", request)
    assert_equal 422, status
    assert_includes body["errors"]["error"], "invoice.date"
  end

  def test_each_test_starts_from_a_new_account
    Mock.call("POST", "/clients.json", { client: ACME })
    Mock.call("POST", "/__sandbox/reset")
    status, body = Mock.call("GET", "/clients.json")
    assert_equal 200, status
    assert_equal [], body["clients"]
  end
end
