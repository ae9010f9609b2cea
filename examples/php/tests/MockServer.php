<?php
// The InvoiceXpress mock for a test class: started once, reset before each test, stopped at the end.
// The mock is the single executable `ixpress-mock` (no Node.js needed), or the one-file
// `ixpress-mock.cjs` run by Node. Say which with IXPRESS_MOCK (default: `ixpress-mock` on PATH).

final class MockServer
{
    /** @var resource */
    private $process;
    /** @var array<int, resource> */
    private array $pipes;
    public string $url;

    public static function start(): self
    {
        $mock = getenv('IXPRESS_MOCK') ?: 'ixpress-mock';
        $command = str_ends_with($mock, '.cjs') ? [getenv('IXPRESS_NODE') ?: 'node', $mock] : [$mock];
        // An array, not a string: PHP starts the mock itself, with no shell in between.
        $process = proc_open([...$command, '--stateful', '--port', '0'], [1 => ['pipe', 'w']], $pipes);
        if ($process === false) {
            throw new RuntimeException("cannot start $mock");
        }
        // --port 0 picks a free port; the first line says which, once the mock answers.
        $read = [$pipes[1]];
        $none = null;
        $line = stream_select($read, $none, $none, 30) === 1 ? fgets($pipes[1]) : false;
        if ($line === false || !preg_match('/listening on (http:\/\/\S+)/', $line, $match)) {
            proc_terminate($process, 9);
            throw new RuntimeException('the mock did not start: ' . var_export($line, true));
        }
        $server = new self();
        $server->process = $process;
        $server->pipes = $pipes;
        $server->url = $match[1];
        return $server;
    }

    /** A new, empty sandbox account. */
    public function reset(): void
    {
        $this->call('POST', '/__sandbox/reset');
    }

    /**
     * One request to the API (or to /__sandbox/...).
     * @return array{0: int, 1: mixed} the status and the decoded JSON body
     */
    public function call(string $method, string $path, ?array $body = null): array
    {
        $url = $this->url . $path;
        if (!str_starts_with($path, '/__sandbox')) {
            $url .= (str_contains($path, '?') ? '&' : '?') . 'api_key=test';
        }
        $headers = "Accept: application/json\r\n";
        if ($body !== null) {
            $headers .= "Content-Type: application/json\r\n";
        }
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => $headers,
            'content' => $body === null ? '' : json_encode($body),
            'ignore_errors' => true, // read the body of a 4xx too
            'timeout' => 10,
        ]]);
        $raw = file_get_contents($url, false, $context);
        $status = (int) explode(' ', $http_response_header[0])[1];
        return [$status, $raw === '' ? null : json_decode($raw, true)];
    }

    /** Stops the mock (SIGTERM) and returns its exit code: 0 once it has stopped. */
    public function stop(): int
    {
        proc_terminate($this->process);
        fclose($this->pipes[1]);
        $deadline = microtime(true) + 10;
        do {
            $status = proc_get_status($this->process);
            if (!$status['running']) {
                return $status['exitcode'];
            }
            usleep(50_000);
        } while (microtime(true) < $deadline);
        proc_terminate($this->process, 9);
        return -1;
    }
}
