"""Keep Presidio from importing torch and transformers into the request path.

presidio_analyzer imports its Hugging Face NER engine eagerly, and with
transformers installed (sentence-transformers needs it to export the ONNX
model, once per machine) that drags in torch: about 700 MB of RSS and seconds
of start-up for code govroute never runs. While Presidio is imported, those
packages are made unimportable; Presidio's own `try/except ImportError` then
leaves its Hugging Face engine unavailable, which is what we want. A process
that already imported torch (the exporter, the torch embedder) is unaffected.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType

HEAVY = ("torch", "transformers")


class _Hide(importlib.abc.MetaPathFinder):
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.partition(".")[0] in self.names:
            raise ImportError(
                f"{fullname} is kept out of this import on purpose (engine.lean_imports)"
            )
        return None


@contextmanager
def without(*packages: str) -> Iterator[None]:
    """Imports inside the block cannot load `packages` (unless already loaded)."""
    names = frozenset(p for p in packages if p not in sys.modules)
    finder = _Hide(names)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
