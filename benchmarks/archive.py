"""Family archive benchmark in a real Chromium: "Ladda ner arkiv" for one child with 200 posts
and 50 images (archive.js: the app's views render every post, each image is decrypted with
AES-GCM as the app does, then the store-only ZIP with CRC-32 is made).

    python benchmarks/archive.py [--posts 200 --images 50 --image-kb 150 --runs 3]

Serves the theme's shell as it is in the repository (no build) on 127.0.0.1 and builds a
synthetic family in the page; the images are random bytes of a typical photo's size (the ZIP
stores, never compresses, so their content does not matter). Prints the figures and writes
benchmarks/out/archive.json; never passes or fails. Desktop speed and 4x CPU throttling.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SHELL = ROOT / "themes" / "default" / "shell"
OUT = ROOT / "benchmarks" / "out"

BUILD = """async ({posts, images, imageKb}) => {
  const fp1 = await import("/app/fp1.js");
  const { buildArchive } = await import("/app/archive.js");
  const { loadCatalogue, translator } = await import("/app/i18n.js");
  const key = await crypto.subtle.generateKey({name: "AES-GCM", length: 256}, false,
    ["encrypt", "decrypt"]);
  const sealed = new Map();
  for (let i = 0; i < images; i++) {
    const plain = new Uint8Array(imageKb * 1024);
    for (let o = 0; o < plain.length; o += 65536) {
      crypto.getRandomValues(plain.subarray(o, o + 65536));
    }
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const ct = await crypto.subtle.encrypt({name: "AES-GCM", iv}, key, plain);
    sealed.set(`img${i}`, {iv, ct: new Uint8Array(ct)});
  }
  const para = "<p>Idag arbetade vi med <strong>mönster</strong> och former i skogen. " +
    "Barnen samlade kottar, räknade dem och sorterade efter storlek.</p>".repeat(3);
  const larlogg = Array.from({length: posts}, (_, i) => ({
    id: `post${i}`,
    date: `2026-${9 + (i % 4)}-${String(1 + (i % 28)).padStart(2, "0")}`.replace("-9-", "-09-"),
    title: `Inlägg ${i}`, author: "Pia Lundqvist", subjects: ["Natur"], goals: ["Lpfö18"],
    html: para + (i < images
      ? `<figure><img data-fp-blob="img${i}" alt="Bild ${i}"><figcaption>Bild</figcaption></figure>`
      : ""),
  }));
  const bundle = {v: 1, kind: "child", child: {id: "c1", givenName: "Alva", familyName: "Ek",
    school: "Förskolan", group: "Humlan"}, tabs: ["larlogg", "kontakt"], larlogg, iup: null,
    omdomen: [], samtal: null, plans: []};
  const family = {
    seq: 1, snapshot: {seq: 1, term: "HT2026", published: "2026-11-28"},
    children: [{id: "c1", bundle, plans: [], bundleId: "b1", planIds: []}],
    signed: {kid: "k", sig: "s", statement: new TextEncoder().encode("{}")},
    plain: new Map([["b1", new TextEncoder().encode(JSON.stringify(bundle))]]),
    openFile: async (id) => {
      const {iv, ct} = sealed.get(id);
      const bytes = new Uint8Array(await crypto.subtle.decrypt({name: "AES-GCM", iv}, key, ct));
      return {bytes, entry: {id, kind: "file", type: "image/webp", name: `${id}.webp`}};
    },
  };
  const t = translator("sv", await loadCatalogue("sv"));
  const ctx = {t, lang: "sv", family: async () => family};
  const latest = {seq: 1, snapshots: [{seq: 1, term: "HT2026"}]};
  const start = performance.now();
  const {blob} = await buildArchive(ctx, {session: {}, latest, childId: "c1"});
  const bytes = new Uint8Array(await blob.arrayBuffer());
  return {ms: performance.now() - start, size: bytes.length};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No request log: the figures are the output."""


def _serve() -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(SHELL))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(*, posts: int, images: int, image_kb: int, runs: int) -> dict[str, Any]:
    server, base = _serve()
    figures: dict[str, Any] = {"posts": posts, "images": images, "image_kb": image_kb}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for label, rate in (("desktop", 1), ("cpu4x", 4)):
                times, size = [], 0
                for _ in range(runs):
                    page = browser.new_page()
                    page.goto(base + "/manifest.webmanifest")
                    if rate > 1:
                        cdp = page.context.new_cdp_session(page)
                        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                    got = page.evaluate(
                        BUILD, {"posts": posts, "images": images, "imageKb": image_kb}
                    )
                    times.append(got["ms"])
                    size = got["size"]
                    page.close()
                figures[label] = {
                    "median_ms": round(statistics.median(times)),
                    "runs_ms": [round(t) for t in times],
                }
                figures["zip_bytes"] = size
            browser.close()
    finally:
        server.shutdown()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--images", type=int, default=50)
    parser.add_argument("--image-kb", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    figures = measure(posts=args.posts, images=args.images, image_kb=args.image_kb, runs=args.runs)
    print(
        f"archive of {figures['posts']} posts + {figures['images']} images "
        f"({figures['zip_bytes'] / 1e6:.1f} MB ZIP): desktop {figures['desktop']['median_ms']} ms, "
        f"4x CPU throttled {figures['cpu4x']['median_ms']} ms (median of {args.runs})"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "archive.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
