"""pytest fixtures: the InvoiceXpress mock for the whole session, a new sandbox account per test.

The mock is the single executable `ixpress-mock` (no Node.js needed), or the one-file
`ixpress-mock.cjs` run by Node. Say which with IXPRESS_MOCK (default: `ixpress-mock` on PATH).
"""

import json
import os
import re
import subprocess
import threading
import urllib.error
import urllib.request

import pytest

MOCK = os.environ.get("IXPRESS_MOCK", "ixpress-mock")


def mock_command():
    if MOCK.endswith(".cjs"):
        return [os.environ.get("IXPRESS_NODE", "node"), MOCK]
    return [MOCK]


@pytest.fixture(scope="session")
def mock_url():
    # --port 0 picks a free port; the first line says which, once the mock answers.
    proc = subprocess.Popen(
        [*mock_command(), "--stateful", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    give_up = threading.Timer(30, proc.kill)  # never wait forever for a mock that hangs
    give_up.start()
    line = proc.stdout.readline()  # "InvoiceXpress mock listening on http://127.0.0.1:PORT"
    give_up.cancel()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"the mock did not start: {line!r}")
    try:
        yield match.group(1)
    finally:
        proc.terminate()  # SIGTERM: the mock stops and exits with 0
        assert proc.wait(timeout=10) == 0


@pytest.fixture(autouse=True)
def new_account(mock_url):
    # Each test starts from a new, empty sandbox account.
    call(mock_url, "POST", "/__sandbox/reset")


def call(base, method, path, body=None):
    """One request; returns (status, parsed JSON body or None)."""
    sep = "&" if "?" in path else "?"
    url = f"{base}{path}{sep}api_key=test" if not path.startswith("/__sandbox") else base + path
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    return status, (json.loads(raw) if raw else None)
