"""The dev provider: the token endpoint checks client authentication, the code and PKCE; the
persona picker lists a large register in part, with a search."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from site_builder.devidp.devconfig import dev_setup
from site_builder.devidp.personas import Persona, load_register, personas_from_register
from site_builder.devidp.provider import PICKER_LIMIT, DevProvider, devidp_app
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
        "redirect_uri": skola.redirect_uris[0],
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
            "redirect_uri": skola.redirect_uris[0],
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


def test_a_large_register_is_listed_in_part_and_searched(tmp_path: Path) -> None:
    sock, base_url = loopback_socket()
    _, clients = dev_setup(base_url=base_url)
    many = [
        Persona(
            id=f"p-{n:05d}",
            given_name=f"Förnamn{n}",
            family_name="Andersson" if n % 2 else "Öberg",
            roles=("vårdnadshavare",),
            civic_no=f"1980010{n % 10}{n:04d}",
            eppn=None,
        )
        for n in range(1, 1201)
    ]
    provider = DevProvider(issuer=base_url, personas=many, clients=clients)
    eid = clients["fp-eid"]
    fields = {
        "response_type": "code",
        "client_id": eid.client_id,
        "redirect_uri": eid.redirect_uris[0],
        "state": "s1",
        "nonce": "n1",
        "code_challenge": b64u_encode(hashlib.sha256(b"v" * 50).digest()),
    }

    def listed(page: httpx.Response) -> list[str]:
        return re.findall(r'name="persona" value="(p-\d+)"', page.text)

    with running(devidp_app(provider), sock), httpx.Client(base_url=base_url) as client:
        first = client.get("/authorize", params=fields)
        assert len(listed(first)) == PICKER_LIMIT and f"av {len(many)}" in first.text
        # The search form carries every authorize parameter, so its GET is a valid request.
        assert all(f'name="{k}" value="{v}"' in first.text for k, v in fields.items())
        found = client.get("/authorize", params={**fields, "q": "öberg förnamn1000"})
        assert listed(found) == ["p-01000"] and 'value="öberg förnamn1000"' in found.text
        assert listed(client.get("/authorize", params={**fields, "q": "p-01199"})) == ["p-01199"]
        assert listed(client.get("/authorize", params={**fields, "q": "nobody"})) == []
        # A persona beyond the first page can still be chosen.
        picked = client.post("/authorize", data={**fields, "persona": "p-01199"})
        assert picked.status_code == 303 and "code=" in picked.headers["location"]
