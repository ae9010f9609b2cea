<?php
// Contract tests of an InvoiceXpress integration, against the local mock (see MockServer.php).

use PHPUnit\Framework\TestCase;

final class ContractTest extends TestCase
{
    private static MockServer $mock;

    private const ACME = ['name' => 'Acme Lda', 'code' => 'ACME', 'fiscal_id' => '508025338', 'country' => 'Portugal'];

    public static function setUpBeforeClass(): void
    {
        self::$mock = MockServer::start();
    }

    public static function tearDownAfterClass(): void
    {
        self::assertSame(0, self::$mock->stop());
    }

    protected function setUp(): void
    {
        self::$mock->reset(); // each test starts from a new, empty account
    }

    private static function newInvoice(): array
    {
        return ['invoice' => [
            'date' => '03/12/2026',
            'due_date' => '03/01/2027',
            'client' => ['name' => self::ACME['name'], 'code' => self::ACME['code']],
            'items' => [['name' => 'Consulting', 'unit_price' => '100.0', 'quantity' => '2', 'tax' => ['name' => 'IVA23']]],
        ]];
    }

    public function testCreatesAClientAndAnInvoice(): void
    {
        [$status, $body] = self::$mock->call('POST', '/clients.json', ['client' => self::ACME]);
        $this->assertSame(201, $status);
        $this->assertSame('ACME', $body['client']['code']);

        [$status, $body] = self::$mock->call('POST', '/invoices.json', self::newInvoice());
        $this->assertSame(201, $status);
        $invoice = $body['invoice'];
        $this->assertSame('draft', $invoice['status']);
        $this->assertEquals(246, $invoice['total']); // 2 x 100.0, plus 23% VAT

        [$status, $body] = self::$mock->call('GET', "/invoices/{$invoice['id']}.json");
        $this->assertSame(200, $status);
        $this->assertSame('ACME', $body['invoice']['client']['code']);
    }

    public function testFinalizesTheInvoice(): void
    {
        [, $body] = self::$mock->call('POST', '/invoices.json', self::newInvoice());
        $id = $body['invoice']['id'];
        [$status, $body] = self::$mock->call('PUT', "/invoices/$id/change-state.json", ['invoice' => ['state' => 'finalized']]);
        $this->assertSame(200, $status);
        $this->assertSame('final', $body['invoice']['status']);
        $this->assertStringStartsWith('1/', $body['invoice']['sequence_number']);
    }

    public function testABadDateIsA422ThatNamesTheField(): void
    {
        $request = self::newInvoice();
        $request['invoice']['date'] = '2026-12-03'; // the API wants dd/mm/yyyy
        [$status, $body] = self::$mock->call('POST', '/invoices.json', $request);
        $this->assertSame(422, $status);
        $this->assertStringContainsString('invoice.date', $body['errors']['error']);
    }

    public function testAMissingFieldIsA422ThatNamesIt(): void
    {
        [$status, $body] = self::$mock->call('POST', '/clients.json', ['client' => ['name' => 'No code']]);
        $this->assertSame(422, $status);
        $this->assertStringContainsString('client.code', $body['errors']['error']);
    }

    public function testEachTestStartsFromANewAccount(): void
    {
        // The tests above created clients and invoices; the reset before this one removed them.
        [$status, $body] = self::$mock->call('GET', '/clients.json');
        $this->assertSame(200, $status);
        $this->assertSame([], $body['clients']);
        [, $state] = self::$mock->call('GET', '/__sandbox/state');
        $this->assertSame([], $state['documents']);
    }

    public function testTheSandboxControlsHaveAContract(): void
    {
        [$status, $body] = self::$mock->call('GET', '/__sandbox/openapi.json');
        $this->assertSame(200, $status);
        $this->assertArrayHasKey('/__sandbox/reset', $body['paths']);
        $this->assertArrayHasKey('/__sandbox/state', $body['paths']);
    }
}
