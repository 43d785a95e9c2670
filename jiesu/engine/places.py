"""Beijing's administrative divisions, read from the table that jionlp ships.

Plain Python with no Django import, so the decision engine and its tests can use the
same records that the directory app loads into the database.

jionlp's ``dictionary/china_location.txt`` is an indented tree: a province line, then one
tab per level (city, district with code and short name, township, community).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

DISTRICT = "district"
SUBDISTRICT = "subdistrict"  # 街道, 乡, 镇, 地区: every township-level place
COMMUNITY = "community"  # 社区 and 村

BEIJING_CODE = "110000"

# Suffixes whose removal leaves a name callers actually say (望京街道 -> 望京).
_TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "地区办事处", "地区", "民族乡", "乡", "镇")
_COMMUNITY_SUFFIXES = ("社区居委会", "居委会", "村委会", "社区", "村")


@dataclass(frozen=True)
class Division:
    """One place: a district, a township-level unit or a community/village."""

    code: str  # official code for districts; a stable derived code below that level
    name: str
    level: str
    parent_code: str | None
    district_code: str
    aliases: tuple[str, ...] = field(default=())


def jionlp_location_file() -> Path:
    import jionlp  # imported lazily: jionlp prints a banner and is slow to import

    return Path(jionlp.__file__).parent / "dictionary" / "china_location.txt"


def _short(name: str, suffixes: tuple[str, ...], min_len: int = 2) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= min_len:
            return name[: -len(suffix)]
    return None


def township_aliases(name: str) -> tuple[str, ...]:
    short = _short(name, _TOWNSHIP_SUFFIXES)
    aliases = []
    if short:
        aliases.append(short)
        # Callers say 望京街道 and 望京地区 (or 乡 and 镇) interchangeably for one office; an area
        # office (地区办事处) is also its township's government (沙河地区 is 沙河镇, 将台地区 将台乡).
        swap = {"街道": ("地区",), "地区": ("街道", "乡", "镇"), "乡": ("镇",), "镇": ("乡",)}
        for suffix, alts in swap.items():
            if name.endswith(suffix):
                aliases.extend(short + alt for alt in alts)
                break
    return tuple(dict.fromkeys(aliases))


def community_aliases(name: str) -> tuple[str, ...]:
    short = _short(name, _COMMUNITY_SUFFIXES)
    # A two-character stem such as 北苑 is also a road, a station and a township:
    # keep only stems long enough to point at one place.
    if short and len(short) >= 3 and not re.search(r"(虚拟|筹备)", name):
        return (short,)
    return ()


def parse_beijing(path: Path | str | None = None) -> list[Division]:
    """Return Beijing's districts, townships and communities in tree order."""
    path = Path(path) if path else jionlp_location_file()
    out: list[Division] = []
    in_beijing = False
    district: Division | None = None
    township: Division | None = None
    seq: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            depth = len(line) - len(line.lstrip("\t"))
            cols = line.strip("\t").split("\t")
            if depth == 0:
                in_beijing = len(cols) > 1 and cols[1] == BEIJING_CODE
                continue
            if not in_beijing or depth == 1:
                continue
            name = cols[0]
            if depth == 2:
                code = cols[1]
                short = cols[2] if len(cols) > 2 else None
                district = Division(code, name, DISTRICT, None, code, (short,) if short and short != name else ())
                township = None
                out.append(district)
            elif depth == 3 and district:
                seq[district.code] = seq.get(district.code, 0) + 1
                code = f"{district.code}{seq[district.code]:03d}"
                township = Division(code, name, SUBDISTRICT, district.code, district.code, township_aliases(name))
                out.append(township)
            elif depth == 4 and township:
                seq[township.code] = seq.get(township.code, 0) + 1
                code = f"{township.code}{seq[township.code]:04d}"
                out.append(Division(code, name, COMMUNITY, township.code, district.code, community_aliases(name)))
    return without_official_names(out)


def official_name_aliases(name: str, aliases, official: set[str]) -> list[str]:
    """The aliases of township `name` that are another township's official name."""
    return [alias for alias in aliases if alias != name and alias in official]


def without_official_names(divisions: list[Division]) -> list[Division]:
    """A township's aliases never name another township. 丰台区 has both 卢沟桥街道 and
    卢沟桥地区 (and 南苑 both), and 东风街道 (房山) is not 东风地区 (朝阳): the swapped suffix
    that serves a single office (望京地区 for 望京街道) would make a caller's exact official name
    a tie, and a village of the other office decided it (set cm: "丰台区卢沟桥街道，小井村" went
    to 卢沟桥地区). The short stem (卢沟桥) stays with both."""
    official = {d.name for d in divisions if d.level == SUBDISTRICT}
    out = []
    for d in divisions:
        if d.level == SUBDISTRICT and (wrong := official_name_aliases(d.name, d.aliases, official)):
            d = replace(d, aliases=tuple(a for a in d.aliases if a not in wrong))
        out.append(d)
    return out


@lru_cache(maxsize=1)
def beijing_divisions() -> tuple[Division, ...]:
    return tuple(parse_beijing())
