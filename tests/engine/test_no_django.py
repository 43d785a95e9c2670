"""The engine is the ground floor: it imports and decides with Django absent (issue 18)."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# The reader's text model: plain Python (numpy, scipy, skops), split by concern out of
# learning/textmodel.py but still in the learning app's package. These are the only modules
# outside the engine that the engine may load; any other app module fails the test.
OUTSIDE_ALLOWED = {
    "jiesu.learning",
    "jiesu.learning.calibration",
    "jiesu.learning.evaluation",
    "jiesu.learning.featurizing",
    "jiesu.learning.segmenting",
    "jiesu.learning.storage",
    "jiesu.learning.textmodel",
}

# A fresh interpreter in which any import of Django or DRF fails, as on a machine without them.
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys

    class NoDjango(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in ("django", "rest_framework"):
                raise ImportError("Django is absent here: " + name)

    sys.meta_path.insert(0, NoDjango())
    import pkgutil

    import jiesu.engine
    from jiesu.engine import Engine

    # Every module of the package, not only the ones `Engine` happens to pull in.
    for module in pkgutil.walk_packages(jiesu.engine.__path__, "jiesu.engine."):
        __import__(module.name)

    decision = Engine.from_defaults().decide(
        {"id": "x", "text": "朝阳区望京街道花家地西里路灯不亮了好几天", "channel": "phone",
         "received_at": "2025-12-01T10:00:00+08:00"}
    )
    record = decision.to_record() if hasattr(decision, "to_record") else decision
    print(json.dumps({"disposition": record["disposition"],
                      "django": sorted(m for m in sys.modules if m.split(".")[0] == "django"),
                      "apps": sorted(m for m in sys.modules
                                     if m.startswith("jiesu.") and m.split(".")[1] != "engine"),
                      "engine_modules": sorted(m for m in sys.modules if m.startswith("jiesu.engine."))}))
    """
)


def test_engine_imports_and_decides_without_django():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["django"] == []
    # No Django app's module came along either (the engine is the ground floor: places and
    # unit kinds live in it, the directory app imports them from here).
    assert set(out["apps"]) <= OUTSIDE_ALLOWED, out["apps"]
    assert {"jiesu.engine.places", "jiesu.engine.units", "jiesu.engine.decide"} <= set(out["engine_modules"])
    assert out["disposition"] == "dispatch"
