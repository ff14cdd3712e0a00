"""Family archive benchmark in a real Chromium: "Ladda ner arkiv" for one child with 200 posts
and 50 images (archive.js: the app's views render every post, each image is decrypted with
AES-GCM as the app does, the PDF of the whole is made with every image in it (lazy/archive.js,
jsPDF: WebP re-encoded as JPEG), then the store-only ZIP with CRC-32 is made).

    python benchmarks/archive.py [--posts 200 --images 50 --image-px 1600 --runs 3]
                                 [--shell DIR]   (another shell, e.g. `git archive` of main: A/B)

Serves the theme's shell as it is in the repository (no build) on 127.0.0.1 and builds a
synthetic family in the page; the images are real WebP photos-to-be of `--image-px` width (drawn
in the page, each different, before the clock starts). Prints the figures and writes
benchmarks/out/archive.json; never passes or fails. Desktop speed and 4x CPU throttling; the
first run of each loads jsPDF and its font (as a family's first archive does), the others reuse
the page's copy.
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

BUILD = """async ({posts, images, imagePx}) => {
  const fp1 = await import("/app/fp1.js");
  const { buildArchive } = await import("/app/archive.js");
  const { loadCatalogue, translator } = await import("/app/i18n.js");
  const key = await crypto.subtle.generateKey({name: "AES-GCM", length: 256}, false,
    ["encrypt", "decrypt"]);
  const sealed = new Map();
  const width = imagePx, height = Math.round(imagePx * 3 / 4);
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext("2d");
  let imageBytes = 0;
  for (let i = 0; i < images; i++) {
    g.fillStyle = `hsl(${(i * 37) % 360} 50% 60%)`;
    g.fillRect(0, 0, width, height);
    for (let r = 0; r < 400; r++) {  // a photo's detail: many shapes, so WebP has work to do
      g.fillStyle = `hsl(${(i * 37 + r * 11) % 360} 60% ${30 + (r % 50)}%)`;
      g.fillRect((r * 97 + i * 13) % width, (r * 61 + i * 7) % height, 20 + r % 90, 15 + r % 70);
    }
    const webp = await canvas.convertToBlob({type: "image/webp", quality: 0.8});
    const plain = new Uint8Array(await webp.arrayBuffer());
    imageBytes += plain.length;
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
  const ms = performance.now() - start;  // the PDF's size: the ZIP entry named arkiv.pdf
  return {ms, size: bytes.length, imageBytes, pdf: findPdfSize(bytes)};

  function findPdfSize(zip) {
    const name = new TextEncoder().encode("arkiv.pdf");
    const view = new DataView(zip.buffer);
    for (let o = 0; o + 30 < zip.length; ) {
      if (view.getUint32(o, true) !== 0x04034b50) break;
      const size = view.getUint32(o + 18, true), n = view.getUint16(o + 26, true);
      const here = zip.subarray(o + 30, o + 30 + n);
      if (here.length === name.length && here.every((b, i) => b === name[i])) return size;
      o += 30 + n + size;
    }
    return 0;
  }
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No request log: the figures are the output."""


def _serve(shell: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_Quiet, directory=str(shell))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(*, posts: int, images: int, image_px: int, runs: int, shell: Path) -> dict[str, Any]:
    server, base = _serve(shell)
    figures: dict[str, Any] = {"posts": posts, "images": images, "image_px": image_px}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for label, rate in (("desktop", 1), ("cpu4x", 4)):
                times, size = [], 0
                page = browser.new_page()
                page.goto(base + "/manifest.webmanifest")
                for _ in range(runs):
                    if rate > 1:
                        cdp = page.context.new_cdp_session(page)
                        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                    got = page.evaluate(
                        BUILD, {"posts": posts, "images": images, "imagePx": image_px}
                    )
                    times.append(got["ms"])
                    size = got["size"]
                    figures["image_bytes"], figures["pdf_bytes"] = got["imageBytes"], got["pdf"]
                page.close()
                figures[label] = {
                    "median_ms": round(statistics.median(times)),
                    "first_ms": round(times[0]),
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
    parser.add_argument("--image-px", type=int, default=1600)  # the build's MAX_LONG_SIDE
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shell", type=Path, default=SHELL)
    args = parser.parse_args(argv)
    figures = measure(
        posts=args.posts,
        images=args.images,
        image_px=args.image_px,
        runs=args.runs,
        shell=args.shell,
    )
    d, c = figures["desktop"], figures["cpu4x"]
    print(
        f"archive of {figures['posts']} posts + {figures['images']} images "
        f"({figures['image_bytes'] / 1e6:.1f} MB of WebP; {figures['zip_bytes'] / 1e6:.1f} MB ZIP, "
        f"PDF {figures['pdf_bytes'] / 1e6:.1f} MB): desktop {d['median_ms']} ms "
        f"(first {d['first_ms']} ms), 4x CPU throttled {c['median_ms']} ms "
        f"(first {c['first_ms']} ms); median of {args.runs}"
    )
    OUT.mkdir(exist_ok=True)
    (OUT / "archive.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
