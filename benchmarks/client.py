"""Client benchmark in a real Chromium: unlock → first child view, offline reload → first content.

    python benchmarks/client.py --children 1000     (after benchmarks/build.py built that site)

Each run uses a fresh browser profile: open the app (service worker installs), sign in with the
development e-ID (persona picker), and time from the app document arriving at /#/unlock until
the family view shows the first child's card (decrypted keyring and bundles); then open that
child's page (click → its Lärlogg on screen); then go offline, reload and time until the
child cards show again. Then, with a device lock set up (a passkey through Chromium's virtual
authenticator with PRF, and a PIN), lock and time offline "Lås upp" → the family view.
Runs at desktop speed and with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate).
Uses Debian's Chromium; never downloads a browser. Prints figures, never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, sync_playwright

from benchmarks.command import BENCH_MASTER_KEY, HERE
from benchmarks.serving import guardian_provider, serving
from benchmarks.shell_size import measure_shell

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
FAMILY_VIEW = "main .card"  # a child's card: keyring and bundles decrypted and rendered
CHILD_VIEW = "main .child .tab"  # one child's page with its first tab
TIMEOUT_MS = 60_000
# Records when each selector first matches, in ms since this document's navigation started.
MARK_SCRIPT = """
(() => {
  const selectors = %s;
  window.__fpMarks = {};
  const observer = new MutationObserver(() => {
    for (const [name, selector] of Object.entries(selectors)) {
      if (window.__fpMarks[name] === undefined && document.querySelector(selector)) {
        window.__fpMarks[name] = performance.now();
      }
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true});
})();
"""
TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const marks = performance.getEntriesByType("mark");
  const app = Object.fromEntries(marks.map((m) => [m.name, m.startTime]));
  return {marks: window.__fpMarks, responseEnd: nav ? nav.responseEnd : 0, app};
}"""
# Stages of the unlock, from the app's own performance marks (fp:*): (name, from, to).
STAGES = [
    ("modules_ms", "responseEnd", "fp:boot"),
    ("device_key_ms", "fp:unlock-start", "fp:unlock-request"),
    ("unlock_answer_ms", "fp:unlock-request", "fp:unlocked"),
    ("keyring_ms", "fp:keyring-request", "fp:keyring-open"),
    ("bundles_ms", "fp:keyring-open", "fp:bundles-open"),
]
OPEN_CHILD = """() => {
  window.__fpClicked = performance.now();
  document.querySelector("main .card h2 a").click();
}"""


def pick_persona(export: Path) -> str:
    """Person id of a guardian of the first compulsory-school child without protected identity."""
    register = json.loads((export / "register.json").read_text(encoding="utf-8"))
    for person in register["persons"]:
        enrolments = person.get("enrolments") or []
        if (
            enrolments
            and enrolments[0].get("schoolYear")
            and person.get("securityMarking", "Ingen") == "Ingen"
            and person.get("responsibles")
        ):
            return str(person["responsibles"][0]["person"]["id"])
    raise ValueError(f"no suitable guardian in {export}/register.json")


def one_run(
    browser: Browser, base: str, *, persona: str, provider: str, throttle: float
) -> dict[str, float]:
    context = browser.new_context(service_workers="allow", locale="sv-SE")
    try:
        marks = {"family": FAMILY_VIEW, "child": CHILD_VIEW}
        context.add_init_script(MARK_SCRIPT % json.dumps(marks))
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        if throttle > 1:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(f"{base}/")
        page.evaluate("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
        page.click(f'main a[href="/auth/login?provider={provider}"]')  # as a reader does
        page.fill("input[name=q]", persona)  # the picker lists a large register in part
        page.click("form[method=get] button[type=submit]")
        page.click(f'button[name="persona"][value="{persona}"]')
        page.wait_for_url("**/#/**")
        page.wait_for_selector(FAMILY_VIEW, state="visible")
        unlocked = page.evaluate(TIMINGS)
        page.evaluate(OPEN_CHILD)
        page.wait_for_selector(CHILD_VIEW, state="visible")
        opened = page.evaluate("() => window.__fpMarks.child - window.__fpClicked")
        page.evaluate("() => { location.hash = '#/'; }")
        page.wait_for_selector(FAMILY_VIEW, state="visible")
        context.set_offline(True)
        page.reload()  # a new document: its marks start again
        page.wait_for_selector(FAMILY_VIEW, state="visible")
        offline = page.evaluate(TIMINGS)
        at = {"responseEnd": unlocked["responseEnd"], **unlocked["app"]}
        return {
            **{name: at[end] - at[start] for name, start, end in STAGES},
            "unlock_to_family_ms": unlocked["marks"]["family"] - unlocked["responseEnd"],
            "signin_click_to_family_ms": unlocked["marks"]["family"],
            "open_child_ms": opened,
            "offline_reload_to_content_ms": offline["marks"]["family"],
        }
    finally:
        context.close()


PIN = "482913"
LOCAL_UNLOCK = "[data-action=local-unlock]"
VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
    "hasUserVerification": True, "isUserVerified": True, "hasPrf": True,
    "automaticPresenceSimulation": True,
}  # fmt: skip


def local_unlock_runs(
    browser: Browser,
    base: str,
    *,
    persona: str,
    provider: str,
    throttle: float,
    kind: str,
    runs: int,
) -> list[float]:
    """Offline "Lås upp" → family view, in ms: sign in once, set up the device lock (`kind`:
    passkey through Chromium's virtual authenticator with PRF, on localhost; or pin), then
    lock and unlock `runs` times with the network off."""
    context = browser.new_context(service_workers="allow", locale="sv-SE")
    try:
        context.add_init_script(MARK_SCRIPT % json.dumps({"family": FAMILY_VIEW}))
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        cdp = context.new_cdp_session(page)
        if kind == "passkey":
            cdp.send("WebAuthn.enable", {"enableUI": False})
            cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
            base = base.replace("127.0.0.1", "localhost")  # WebAuthn needs a name
        if throttle > 1:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        page.goto(f"{base}/")
        page.evaluate("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
        page.click(f'main a[href="/auth/login?provider={provider}"]')
        page.fill("input[name=q]", persona)
        page.click("form[method=get] button[type=submit]")
        page.click(f'button[name="persona"][value="{persona}"]')
        page.wait_for_selector("[data-action=offer-setup]", state="visible")
        page.click("[data-action=offer-setup]")
        if kind == "passkey":
            page.click("[data-action=setup-passkey]")
        else:
            page.fill("#new-pin", PIN)
            page.fill("#new-pin-again", PIN)
            page.click("[data-action=setup-pin]")
        page.wait_for_selector(FAMILY_VIEW, state="visible")
        context.set_offline(True)
        timings = []
        for _ in range(runs):
            page.click("[data-action=lock]")
            page.wait_for_selector(LOCAL_UNLOCK, state="visible")
            if kind == "pin":
                page.fill("#pin", PIN)
            page.evaluate(
                "() => { window.__fpMarks = {}; window.__fpClicked = performance.now(); }"
            )
            page.click(LOCAL_UNLOCK)
            page.wait_for_selector(FAMILY_VIEW, state="visible")
            timings.append(page.evaluate("() => window.__fpMarks.family - window.__fpClicked"))
        return timings
    finally:
        context.close()


def summarise(runs: list[dict[str, float]]) -> dict[str, Any]:
    keys = runs[0].keys() if runs else ()
    return {key: round(statistics.median(run[key] for run in runs), 1) for key in keys} | {
        "runs": runs
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument("--site", type=Path, help="default: <work>/site-<N>")
    parser.add_argument("--export", type=Path, help="default: <work>/export-<N>-s<seed>")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        choices=range(1, 9),
        metavar="1-8",
        help="per mode; each signs in, and the key service allows 10 unlocks a minute per reader",
    )
    args = parser.parse_args(argv)
    site = args.site or args.work / f"site-{args.children}"
    state = args.work / f"state-{args.children}"  # where benchmarks/build.py built the site
    export = args.export or args.work / f"export-{args.children}-s{args.seed}"
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    shell = measure_shell(site)
    print(f"app shell: {shell.files} files, {shell.raw_bytes:,} B raw, {shell.gzip_bytes:,} B gzip"
          f" (+ sw.js {shell.service_worker_gzip_bytes:,} B gzip)")  # fmt: skip
    print(f"catalogues, gzip (a page loads only the one in use): {shell.catalogues_line()}")
    results: dict[str, Any] = {"site": str(site), "shell": asdict(shell)}
    persona = pick_persona(export)
    env = {"SITE_BUILDER_MASTER_KEY": BENCH_MASTER_KEY}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS, headless=True)
        try:
            for label, rate in (("desktop", 1.0), ("cpu_throttled_4x", 4.0)):
                # A server per mode: the key service's rate limits (30 requests a minute per
                # address, 10 unlocks per reader) are in its memory, and every run signs in.
                with serving(site=site, export=export, state=state, env=env) as base:
                    provider = guardian_provider(base)
                    runs = [
                        one_run(browser, base, persona=persona, provider=provider, throttle=rate)
                        for _ in range(args.runs)
                    ]  # fmt: skip
                    for kind in ("passkey", "pin"):
                        unlocks = local_unlock_runs(
                            browser, base, persona=persona, provider=provider, throttle=rate,
                            kind=kind, runs=args.runs,
                        )  # fmt: skip
                        for run, ms in zip(runs, unlocks, strict=True):
                            run[f"offline_{kind}_unlock_to_family_ms"] = ms
                results[label] = summarise(runs)
                figures = {k: v for k, v in results[label].items() if k != "runs"}
                print(f"{label}: " + ", ".join(f"{k} {v:,.0f}" for k, v in figures.items()))
        finally:
            browser.close()
    out = args.work / f"client-{args.children}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
