"""The engine is the ground floor: it imports and decides with Django absent (issue 18)."""

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A fresh interpreter in which any import of Django or DRF fails, as on a machine without them.
SCRIPT = textwrap.dedent(
    """
    import importlib.abc, json, sys

    class NoDjango(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in ("django", "rest_framework"):
                raise ImportError("Django is absent here: " + name)

    sys.meta_path.insert(0, NoDjango())
    from jiesu.engine import Engine

    decision = Engine.from_defaults().decide(
        {"id": "x", "text": "朝阳区望京街道花家地西里路灯不亮了好几天", "channel": "phone",
         "received_at": "2025-12-01T10:00:00+08:00"}
    )
    record = decision.to_record() if hasattr(decision, "to_record") else decision
    print(json.dumps({"disposition": record["disposition"],
                      "django": sorted(m for m in sys.modules if m.split(".")[0] == "django")}))
    """
)


def test_engine_imports_and_decides_without_django():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout.strip().splitlines()[-1]
    assert '"django": []' in out
    assert '"disposition": "dispatch"' in out
