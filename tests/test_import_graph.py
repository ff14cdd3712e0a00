"""The shape of the code: no import circles, the pipeline's stages import one way, no huge modules.

Read from the source with `ast` (nothing is imported or run), so an import inside a function
counts as much as one at the top: a circle hidden in a function is still a circle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("site_builder", "benchmarks")
MAX_LINES = 400  # developers' guide: small single-purpose modules, none over 400 lines

# site_builder/pipeline/: each sub-package (or top-level module) may import only from those
# listed before it — the stages in the order the data flows (site_builder/pipeline/__init__.py).
PIPELINE_ORDER = (
    "shell",
    "plan",
    "report",
    "state",
    "render",
    "seal",
    "incremental",
    "publish",
    "build",
    "runs",
)


def module_files() -> dict[str, Path]:
    """Dotted module name → file, for every module of the packages checked."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            rel = path.relative_to(REPO)
            if any(part.startswith(".") or part == "out" for part in rel.parts):
                continue  # benchmarks/.mkdocs-venv, benchmarks/out
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported(name: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """The modules of `modules` that the module `name` imports (anywhere in its body)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from pkg import mod` imports the module pkg.mod; `from mod import name` just mod
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.c` where a.b.c is a name
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: set(imported(name, path, modules)) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_checker_sees_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_graph_includes_imports_inside_functions() -> None:
    graph = import_graph()
    assert "site_builder.preview.run" in graph["site_builder.commands.watch"]  # lazy import
    assert "site_builder.pipeline.plan.ids" in graph["site_builder.pipeline.build"]  # from pkg


def test_no_import_circles_in_site_builder_or_benchmarks() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["site_builder", "pipeline"] or len(parts) < 3:
        return None
    return parts[2]


def test_pipeline_stages_import_one_way() -> None:
    wrong = []
    for module, targets in import_graph().items():
        stage = _stage(module)
        if stage is None:
            continue
        assert stage in PIPELINE_ORDER, f"{module}: add its stage to PIPELINE_ORDER"
        for target in targets:
            other = _stage(target)
            if other is not None and PIPELINE_ORDER.index(other) > PIPELINE_ORDER.index(stage):
                wrong.append(f"{module} imports {target} (a later stage)")
    assert not wrong, "\n".join(wrong)


def test_no_module_over_the_limit() -> None:
    long = {
        str(path.relative_to(REPO)): n
        for name, path in module_files().items()
        if name.startswith("site_builder.")
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"
