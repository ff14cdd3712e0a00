"""Hostile requests get a 4xx with the security headers, never a 500 or a traceback; no answer
redirects to a host the request named; every /auth answer is no-store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from site_builder.fp1 import MasterKey
from site_builder.fp1.wrap import public_key_to_jwk
from site_builder.serve import create_app
from tests.keyservice.harness import Harness, handoff_cookie, live_harness
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import seal_site

HOSTILE_PATHS = {
    "nul": "/%00",
    "nul before an extension": "/index.html%00.png",
    "300-character name": "/" + "a" * 300,
    "6000-character path": "/" + "/".join(["b" * 50] * 118),
    "nul under /auth": "/auth/%00",
}


@pytest.fixture
def harness(tmp_path: Path, master: MasterKey) -> Iterator[Harness]:
    with live_harness(tmp_path, master) as built:
        yield built


def _assert_secured(answer: httpx.Response) -> None:
    assert "content-security-policy" in answer.headers
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("name", list(HOSTILE_PATHS))
def test_hostile_paths_are_not_found_not_errors(
    harness: Harness, capfd: pytest.CaptureFixture[str], name: str
) -> None:
    answer = harness.client.get(HOSTILE_PATHS[name])
    assert answer.status_code == 404, answer.text
    _assert_secured(answer)
    logged = capfd.readouterr().err
    assert "Traceback" not in logged and "error:" not in logged


def test_json_nested_1200_deep_is_a_400(
    harness: Harness, capfd: pytest.CaptureFixture[str]
) -> None:
    handoff = handoff_cookie(harness.callback(harness.login()))
    harness.client.cookies.clear()
    deep = '{"device_key": ' + "[" * 1200 + "]" * 1200 + "}"
    answer = harness.client.post(
        "/auth/unlock",
        content=deep,
        headers={"cookie": f"fp_handoff={handoff}", "content-type": "application/json"},
    )
    assert answer.status_code == 400 and answer.json() == {"error": "invalid_device_key"}
    _assert_secured(answer)
    assert "Traceback" not in capfd.readouterr().err
    # Refused before it was spent: the same handoff still unlocks a real device key.
    jwk = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    assert harness.unlock(handoff, jwk).status_code == 200


def test_a_foreign_host_is_never_redirected_to(harness: Harness) -> None:
    for path in ("/auth/login/", "/auth/callback/", "/auth/"):
        answer = harness.client.get(path, headers={"host": "evil.example"})
        assert answer.status_code == 404, path
        assert "evil.example" not in answer.headers.get("location", "")
        assert answer.headers["cache-control"] == "no-store"
        _assert_secured(answer)


def test_wrong_method_is_405_no_store(harness: Harness) -> None:
    for method, path in (("GET", "/auth/unlock"), ("POST", "/auth/login"), ("PUT", "/")):
        answer = harness.client.request(method, path)
        assert answer.status_code == 405, (method, path)
        _assert_secured(answer)
        if path.startswith("/auth"):
            assert answer.headers["cache-control"] == "no-store"


def test_unexpected_error_is_a_plain_500_with_headers_and_no_traceback(
    tmp_path: Path, master: MasterKey, capfd: pytest.CaptureFixture[str]
) -> None:
    async def broken(request: Request) -> Response:
        raise RuntimeError("secret detail from 198112289874")

    sock, base_url = loopback_socket()
    app = create_app(
        site_dir=seal_site(tmp_path / "build", master=master),
        master=master,
        base_url=base_url,
        extra_routes=[Route("/broken", broken)],
    )
    with running(app, sock), httpx.Client(base_url=base_url) as client:
        answer = client.get("/broken")
    assert answer.status_code == 500 and answer.text == "Internal error"
    assert answer.headers["cache-control"] == "no-store"
    _assert_secured(answer)
    logged = capfd.readouterr().err
    assert "error: unexpected RuntimeError" in logged
    assert "Traceback" not in logged and "198112289874" not in logged


def test_oversized_unlock_is_refused_on_content_length(harness: Harness) -> None:
    handoff = handoff_cookie(harness.callback(harness.login()))
    harness.client.cookies.clear()
    body = json.dumps({"device_key": {"pad": "x" * 5000}})
    answer = harness.client.post(
        "/auth/unlock", content=body, headers={"cookie": f"fp_handoff={handoff}"}
    )
    assert answer.status_code == 413 and answer.json() == {"error": "too_large"}
    assert harness.last_reason() == "body_too_large"


def _post_unlock(harness: Harness, handoff: str, body: bytes, *, chunked: bool) -> httpx.Response:
    harness.client.cookies.clear()
    headers = {"cookie": f"fp_handoff={handoff}", "content-type": "application/json"}
    # A generator makes httpx send it chunked: no Content-Length, only the streaming cut applies.
    content = iter([body]) if chunked else body
    return harness.client.post("/auth/unlock", content=content, headers=headers)


def _unlock_body(jwk: dict[str, str], *, size: int = 0, depth: int = 2) -> bytes:
    """{"device_key": jwk, "pad": ...}: nested `depth` levels deep in all (the outer object is
    one), padded with X — a byte the depth count must not take for a bracket — to `size`."""
    nest = "[" * (depth - 1) + "]" * (depth - 1)
    body = json.dumps({"device_key": jwk, "pad": ""}, separators=(",", ":"))
    body = body[:-1] + ',"nest":' + nest + "}" if depth > 2 else body
    return body.replace('"pad":""', '"pad":"' + "X" * max(0, size - len(body)) + '"').encode()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_an_unlock_body_of_4_kb_and_16_levels_is_taken_one_byte_or_level_more_is_not(
    harness: Harness, chunked: bool
) -> None:
    """The limits are exact: 4,096 bytes and 16 levels of JSON nesting pass, 4,097 bytes is a
    413 and 17 levels a 400 — declared or streamed — and a body that is JSON but not an object
    is a 400, never a 500. None of the refusals spends the handoff."""
    jwk = public_key_to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key())
    refusals = {
        _unlock_body(jwk, size=4097): 413,
        _unlock_body(jwk, depth=17): 400,
        # 17 levels after a closed one: the count goes back down by one, not to the top.
        _unlock_body(jwk).replace(b'"pad"', b'"n":[[],' + b"[" * 15 + b"]" * 15 + b'],"pad"'): 400,
        b"[1, 2]": 400,
        b'"device_key"': 400,
    }
    for body, status in refusals.items():
        handoff = handoff_cookie(harness.callback(harness.login()))
        answer = _post_unlock(harness, handoff, body, chunked=chunked)
        assert answer.status_code == status, body[:40]
        assert len(_unlock_body(jwk, size=4096)) == 4096
        taken = _post_unlock(harness, handoff, _unlock_body(jwk, size=4096), chunked=chunked)
        assert taken.status_code == 200, body[:40]
    handoff = handoff_cookie(harness.callback(harness.login()))
    deep = _unlock_body(jwk, depth=16, size=200)
    assert _post_unlock(harness, handoff, deep, chunked=chunked).status_code == 200
