"""The dev provider's token endpoint checks client authentication, the code and PKCE."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from site_builder.devidp.devconfig import dev_setup
from site_builder.devidp.personas import load_register, personas_from_register
from site_builder.devidp.provider import DevProvider, devidp_app
from site_builder.fp1 import b64u_encode
from tests.keyservice.liveserver import loopback_socket, running
from tests.keyservice.site import STUDENT_EPPN, write_register


def test_token_endpoint_checks_client_code_and_pkce(tmp_path: Path) -> None:
    sock, base_url = loopback_socket()
    config, clients = dev_setup(base_url=base_url)
    personas = personas_from_register(load_register(write_register(tmp_path)))
    provider = DevProvider(issuer=base_url, personas=personas, clients=clients)
    skola = clients["fp-skola"]
    verifier = "v" * 50
    challenge = b64u_encode(hashlib.sha256(verifier.encode()).digest())
    fields = {
        "client_id": skola.client_id,
        "redirect_uri": skola.redirect_uri,
        "state": "s1",
        "nonce": "n1",
        "code_challenge": challenge,
    }
    basic = "Basic " + base64.b64encode(f"fp-skola:{skola.secret}".encode()).decode()

    def code(client: httpx.Client) -> str:
        picked = client.post("/authorize", data={**fields, "persona": "student-1"})
        assert picked.status_code == 303
        return parse_qs(urlsplit(picked.headers["location"]).query)["code"][0]

    def token(client: httpx.Client, code: str, *, auth: str, code_verifier: str) -> httpx.Response:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": skola.redirect_uri,
            "code_verifier": code_verifier,
        }
        return client.post("/token", data=form, headers={"authorization": auth})

    with running(devidp_app(provider), sock), httpx.Client(base_url=base_url) as client:
        picker = client.get("/authorize", params={**fields, "response_type": "code"})
        assert "TESTMILJÖ — endast för test" in picker.text
        assert 'value="student-1"' in picker.text and "guardian-1" not in picker.text
        wrong_client = token(
            client, code(client), auth="Basic Zm9vOmJhcg==", code_verifier=verifier
        )
        assert wrong_client.status_code == 401
        wrong_pkce = token(client, code(client), auth=basic, code_verifier="x" * 50)
        assert wrong_pkce.json() == {"error": "invalid_grant"}
        good_code = code(client)
        good = token(client, good_code, auth=basic, code_verifier=verifier)
        assert good.status_code == 200 and "id_token" in good.json()
        reused = token(client, good_code, auth=basic, code_verifier=verifier)
        assert reused.json() == {"error": "invalid_grant"}
        jwks = client.get("/jwks").json()
    assert jwks["keys"][0]["kty"] == "EC" and "d" not in jwks["keys"][0]
    assert STUDENT_EPPN in {p.eppn for p in personas}
    assert config.providers[1].subject_kind == "eppn"
