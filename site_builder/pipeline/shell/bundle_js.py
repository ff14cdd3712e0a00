"""One file for the app's ES modules, made at build time without Node.

A phone spent ~110 ms (desktop) to ~300 ms (throttled) loading the app's 23 modules one request
each, even preloaded and from the service worker. The modules keep to a small subset of the
syntax — static `import {a, b as c} from "./x.js"` / `import * as x from "./x.js"` at the top,
and named `export function|class|const` declarations — so bundling is a rewrite, not a parse:
each module becomes a function scope that returns its exports, in dependency order, and its
imports become destructurings of those. Anything outside the subset is refused with the file and
the construct (ThemeError), never bundled wrongly.
"""

from __future__ import annotations

import posixpath
import re

from site_builder.pipeline.shell.theme import ThemeError

IMPORT = re.compile(
    r"^import\s+(?:\{(?P<names>[^}]*)\}|\*\s+as\s+(?P<star>\w+))"
    r'\s+from\s+"(?P<spec>[^"]+)";?[ \t]*$',
    re.M,
)
EXPORT_DECLARATION = re.compile(
    r"^export\s+(?P<kind>(?:async\s+)?function\*?|class|const)\s+(?P<name>[A-Za-z_$][\w$]*)",
    re.M,
)
REFUSED = {
    "export default": re.compile(r"^export\s+default\b", re.M),
    "export let/var": re.compile(r"^export\s+(?:let|var)\b", re.M),
    "export { … } / export * lists": re.compile(r"^export\s*[{*]", re.M),
    # import() only of a module outside the bundle, by its absolute path ("/lazy/x.js"): a
    # relative one would resolve against the bundle's URL, not the module's
    "import() or import.meta": re.compile(r'\bimport\s*\((?!"/)|\bimport\.meta\b'),
    "an import not at the start of a line": re.compile(r"^[ \t]+import\s[^(]", re.M),
}


def _refuse(rel: str, what: str) -> ThemeError:
    return ThemeError(
        f'{rel}: {what} cannot be bundled; use static `import {{…}} from "./x.js"` and named '
        "`export function|class|const` declarations (site_builder/pipeline/shell/bundle_js.py)"
    )


def _dependencies(rel: str, source: str) -> list[str]:
    found = []
    for match in IMPORT.finditer(source):
        spec = match["spec"]
        if not spec.startswith(("./", "../")):
            raise _refuse(rel, f"the import of {spec!r} (not a relative path)")
        found.append(posixpath.normpath(posixpath.join(posixpath.dirname(rel), spec)))
    return found


def _order(entry: str, sources: dict[str, str]) -> list[str]:
    """Dependencies first, entry last; a cycle is refused (a scope cannot see a later one)."""
    done: list[str] = []
    visiting: set[str] = set()

    def visit(rel: str, via: str) -> None:
        if rel in done:
            return
        if rel not in sources:
            raise _refuse(via, f"the import of {rel!r} (no such module in the shell)")
        if rel in visiting:
            raise _refuse(rel, "an import cycle")
        visiting.add(rel)
        for dep in _dependencies(rel, sources[rel]):
            visit(dep, rel)
        visiting.discard(rel)
        done.append(rel)

    visit(entry, entry)
    return done


def _scope(index: int) -> str:
    return f"__fp_module_{index}"


def _rewrite(rel: str, source: str, scopes: dict[str, str]) -> tuple[str, list[str]]:
    """The module's body with imports as destructurings and `export` dropped; its exports."""
    for what, pattern in REFUSED.items():
        if pattern.search(source):
            raise _refuse(rel, what)

    def imported(match: re.Match[str]) -> str:
        dep = posixpath.normpath(posixpath.join(posixpath.dirname(rel), match["spec"]))
        if match["star"]:
            return f"const {match['star']} = {scopes[dep]};"
        names = [n.strip() for n in match["names"].split(",") if n.strip()]
        pairs = [n.replace(" as ", ": ") if " as " in n else n for n in names]
        return f"const {{ {', '.join(pairs)} }} = {scopes[dep]};"

    body = IMPORT.sub(imported, source)
    exports = [m["name"] for m in EXPORT_DECLARATION.finditer(body)]
    body = EXPORT_DECLARATION.sub(lambda m: f"{m['kind']} {m['name']}", body)
    return body, exports


def bundle_modules(sources: dict[str, str], *, entry: str) -> tuple[str, list[str]]:
    """(the bundle's source, the modules it holds). `sources`: shell path → module text."""
    order = _order(entry, sources)
    scopes = {rel: _scope(i) for i, rel in enumerate(order)}
    parts = [f"// The app's modules in one file, made by site-builder from: {', '.join(order)}\n"]
    for rel in order:
        body, exports = _rewrite(rel, sources[rel], scopes)
        if rel == entry:
            parts.append(f"// {rel}\n{{\n{body.rstrip()}\n}}\n")
        else:
            returned = ", ".join(exports)
            parts.append(
                f"// {rel}\nconst {scopes[rel]} = (() => {{\n{body.rstrip()}\n"
                f"return {{ {returned} }};\n}})();\n"
            )
    return "".join(parts), order
