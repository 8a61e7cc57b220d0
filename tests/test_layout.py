"""The house rules: imports run one way between the apps (README, "Layout")."""

import ast
from pathlib import Path

from tests.helpers import ROOT

# What each app may import from the project; config sits on top, devtools and tests use anything.
MAY_IMPORT = {
    "conclusions": set(),
    "workflow": {"conclusions"},
    "intake": {"conclusions", "workflow"},
    "reports": {"conclusions", "workflow"},
    "notifications": {"conclusions", "workflow"},
    "petitions": {"conclusions", "workflow", "intake", "reports", "notifications"},
    "resolutions": {"conclusions", "workflow", "intake", "reports", "notifications"},
    "api": {
        "conclusions",
        "workflow",
        "intake",
        "reports",
        "notifications",
        "petitions",
        "resolutions",
    },
    "publication": {"conclusions", "workflow", "reports"},
    "config": {
        "conclusions",
        "workflow",
        "intake",
        "reports",
        "notifications",
        "petitions",
        "resolutions",
        "api",
        "publication",
    },
}
PROJECT = set(MAY_IMPORT) | {"devtools", "tests"}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return {name.split(".")[0] for name in names} & PROJECT


def test_every_app_imports_only_the_apps_below_it():
    wrong = {}
    for app, allowed in MAY_IMPORT.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            extra = _imported_apps(path) - allowed - {app}
            if extra:
                wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert wrong == {}


def test_nothing_in_the_product_imports_devtools():
    users = [
        str(path.relative_to(ROOT))
        for app in MAY_IMPORT
        for path in (ROOT / app).rglob("*.py")
        if "devtools" in _imported_apps(path)
    ]
    assert users == []
