"""Safe storage of a classifier's state with skops (no pickle)."""

from __future__ import annotations

import json
import math
import os
import zipfile
from pathlib import Path

import numpy as np

# numpy types the stored state may contain (skops 0.16 reports dtypes and arrays this way).
TRUSTED_TYPES: tuple[str, ...] = (
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float32",
    "numpy.float64",
    "numpy.int32",
    "numpy.int64",
)


_PLAIN_TYPES = {f"builtins.{t}" for t in ("dict", "list", "tuple", "str", "int", "float", "bool", "NoneType")} | set(
    TRUSTED_TYPES
)


def _schema_types(path: Path) -> set[str]:
    """Every 'module.Class' named in a skops file's schema."""
    with zipfile.ZipFile(path) as zf:
        schema = json.loads(zf.read("schema.json"))
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def jsonable(x):
    """Plain JSON values for metrics and info (numpy scalars to Python, NaN/inf to None)."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def write_state(state: dict, path: str | os.PathLike) -> Path:
    """Write a state of plain data and arrays; written to a temporary name and renamed, so a
    reader never sees half a file."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    # Deflate: most of a small model's file is the idf table, mostly one repeated value.
    sio.dump(state, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    os.replace(tmp, path)
    return path


def read_state(path: str | os.PathLike) -> dict:
    """Read a skops file, trusting only plain containers and numpy arrays.

    The state holds nothing but dicts, lists, strings, numbers and arrays, so the trusted list
    is the handful of numpy types above; any other type in the file (a replaced file smuggling
    an object) makes loading fail instead of constructing it.
    """
    import skops.io as sio

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"classifier file not found: {path}")
    # skops trusts scikit-learn types by default; a model state never contains any, so
    # check every node of the schema against plain data first.
    unexpected = {t for t in _schema_types(path) if t not in _PLAIN_TYPES}
    unexpected |= set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
    if unexpected:
        raise ValueError(f"refusing to load {path}: unexpected types {sorted(unexpected)}")
    return sio.load(path, trusted=list(TRUSTED_TYPES))
