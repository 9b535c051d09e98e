"""Hand-written ``__init__`` methods set every declared field.

The hot extraction classes are dataclasses with ``init=False`` and an ``__init__`` written out by
hand (mypyc compiles those; it leaves a generated one as slow Python). A field added to such a
class later is declared but never set unless the hand-written ``__init__`` learns it too, and the
first read raises AttributeError on every article (it happened once, in a merge).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTRACT = Path(__file__).resolve().parents[2] / "streams" / "extract"


def _classes_with_init() -> list[tuple[str, ast.ClassDef, ast.FunctionDef]]:
    found = []
    for path in sorted(EXTRACT.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                inits = [n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
                if inits:
                    found.append((f"{path.stem}.{node.name}", node, inits[0]))
    return found


CLASSES = _classes_with_init()


def test_extraction_has_hand_written_inits_to_check() -> None:
    assert len(CLASSES) >= 10  # the check below would pass vacuously if the scan found nothing


@pytest.mark.parametrize(("name", "cls", "init"), CLASSES, ids=[c[0] for c in CLASSES])
def test_hand_written_init_sets_every_declared_field(name: str, cls: ast.ClassDef, init: ast.FunctionDef) -> None:
    fields = [n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
              and not n.target.id.isupper()]  # upper case: class constants, not per-object fields
    assigned = {a.attr for a in ast.walk(init) if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name)
                and a.value.id == "self" and isinstance(a.ctx, ast.Store)}
    assert not [f for f in fields if f not in assigned], f"{name}.__init__ leaves fields unset"
