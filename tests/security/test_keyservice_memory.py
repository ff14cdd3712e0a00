"""A huge body to /auth/unlock, with a real handoff (a refused body does not spend it), must not
grow the `serve` process: refused on Content-Length, and a chunked body is cut off at the cap.
The measure is the process's peak resident set (VmHWM in /proc), before and after."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

from site_builder.fp1.wrap import public_key_to_jwk
from tests.keyservice.fakeidp import FakeProvider
from tests.keyservice.processes import (
    Deployment,
    access_log,
    live_provider,
    serve_instance,
    sign_in,
    unlock,
    write_config,
)
from tests.keyservice.site import GUARDIAN_PNR

BODY_BYTES = 200 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)
ALLOWED_GROWTH_BYTES = 40 * 1024 * 1024  # "tens of MB": the whole body would be 200 MB


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM in /proc status")


def _post_huge(base_url: str, handoff: str, *, chunked: bool, body: bool = True) -> int:
    """Send up to 200 MB, until the server stops taking it; returns the answer's status.
    Without `body` only the head goes (it declares 200 MB): the answer must come from the
    Content-Length alone, before the server has read anything (else the read times out)."""
    parts = urlsplit(base_url)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {BODY_BYTES}"
    head = (
        f"POST /auth/unlock HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\nCookie: fp_handoff={handoff}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(head.encode())
        sent = 0 if body else BODY_BYTES
        try:
            while sent < BODY_BYTES:
                data = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK) if chunked else CHUNK
                sock.sendall(data)
                sent += len(CHUNK)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the server answered and stopped reading: what we want
        answer = b""
        try:
            while b"\r\n" not in answer:
                more = sock.recv(4096)
                if not more:
                    break
                answer += more
        except (ConnectionResetError, TimeoutError):
            pass
    assert answer.startswith(b"HTTP/1.1 "), answer[:100]
    return int(answer.split()[1])


def test_huge_bodies_do_not_grow_the_process(tmp_path: Path) -> None:
    deployment = Deployment.create(tmp_path)
    fake = FakeProvider(pnr=GUARDIAN_PNR)
    log = tmp_path / "access.jsonl"
    with live_provider(fake) as issuer:
        config = write_config(
            tmp_path / "k.toml", base_url="http://127.0.0.1:1", issuer=issuer, access_log=log
        )
        with serve_instance(deployment, config=config) as instance:
            handoff = sign_in(fake, start=instance.base_url, code="c1")
            before = _peak_rss(instance.process.pid)
            # Refused on its Content-Length: the streaming cap below would also refuse the
            # 200 MB post, so only a body never sent tells the two guards apart.
            assert _post_huge(instance.base_url, handoff, chunked=False, body=False) == 413
            assert _post_huge(instance.base_url, handoff, chunked=False) == 413
            assert _post_huge(instance.base_url, handoff, chunked=True) == 413
            after = _peak_rss(instance.process.pid)
            # The refused bodies left the handoff unspent: the real device still unlocks.
            jwk = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
            assert unlock(instance.base_url, handoff, jwk).status_code == 200
    growth = after - before
    print(f"\npeak RSS {before / 2**20:.0f} MB -> {after / 2**20:.0f} MB after two 200 MB posts")
    assert growth < ALLOWED_GROWTH_BYTES
    reasons = [r["reason"] for r in access_log(log) if r["event"] == "unlock"]
    assert reasons == ["body_too_large"] * 3 + [None]
