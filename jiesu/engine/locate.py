"""Locate a request: district, township-level place and community from free text (R12).

One Aho-Corasick automaton over every division name, its aliases and the admin's landmarks is
built once; a request costs one pass over its text. Each mention votes for the places it can
mean; a name that exists in two districts ("八里庄街道") splits its vote, so another clue
("朝阳区", a community) settles it, and without one the result is marked ambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .places import COMMUNITY, DISTRICT, SUBDISTRICT, Division
from .text import Automaton, Hit, WordCuts, drop_contained, normalise

# How much a mention says, by what matched.
_W_FULL = 3.0
_W_ALIAS = 2.0
_W_SHORT_ALIAS = 1.5  # two-character stems such as 望京
_W_LANDMARK = 3.0
_W_COMMUNITY = 2.5
# What a street, a river or an estate is named with: "通州新华大街", "大兴清源路" are no township
# (the township's full name, 中仓街道, is matched on its own).
_STREET_TAILS = ("路", "街", "道", "大街", "大道", "河", "桥", "巷", "胡同", "家园", "小区", "联")


@dataclass(frozen=True)
class Landmark:
    name: str
    place_code: str  # a district or township-level division code

    def to_dict(self) -> dict:
        return {"name": self.name, "place_code": self.place_code}

    @classmethod
    def from_dict(cls, d: dict) -> Landmark:
        return cls(d["name"], d["place_code"])


@dataclass(frozen=True)
class Location:
    district: Division | None = None
    subdistrict: Division | None = None
    community: Division | None = None
    ambiguous: bool = False
    reasons: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    candidates: tuple[str, ...] = field(default=())  # full names left open when ambiguous

    @property
    def precision(self) -> str:
        if self.subdistrict:
            return SUBDISTRICT
        if self.district:
            return DISTRICT
        return "city"


def resolve_landmarks(rows: Iterable[dict], divisions: Iterable[Division]) -> list[Landmark]:
    """Turn {"name", "district", "subdistrict"} rows (names) into Landmarks (codes)."""
    districts = {d.name: d for d in divisions if d.level == DISTRICT}
    towns = {(d.district_code, d.name): d for d in divisions if d.level == SUBDISTRICT}
    out = []
    for row in rows:
        dist = districts.get(row.get("district") or "")
        if not dist:
            raise ValueError(f"landmark {row.get('name')!r}: unknown district {row.get('district')!r}")
        place = dist
        if row.get("subdistrict"):
            place = towns.get((dist.code, row["subdistrict"]))
            if not place:
                raise ValueError(f"landmark {row['name']!r}: no township {row['subdistrict']!r} in {dist.name}")
        out.append(Landmark(row["name"], place.code))
    return out


class Locator:
    def __init__(
        self,
        divisions: Iterable[Division],
        landmarks: Iterable[Landmark] = (),
        stop_aliases: Iterable[str] = (),
        cuts: WordCuts | None = None,
    ):
        self.by_code: dict[str, Division] = {}
        self.cuts = cuts
        stop = {normalise(s) for s in stop_aliases}
        self._stems: set[str] = set()
        entries: list[tuple[str, tuple]] = []
        divisions = list(divisions)
        district_words = {d.code: (d.name, *d.aliases) for d in divisions if d.level == DISTRICT}
        for d in divisions:
            self.by_code[d.code] = d
            if d.level == DISTRICT:
                entries.append((d.name, (d.code, _W_FULL, "name")))
                entries += [(a, (d.code, _W_ALIAS, "alias")) for a in d.aliases]
            elif d.level == SUBDISTRICT:
                entries.append((d.name, (d.code, _W_FULL, "name")))
                for a in d.aliases:
                    if normalise(a) in stop:
                        # A stem that is also a common word (古城, 中仓, 石园) names the township
                        # when its own district stands right before it: "通州中仓", "顺义区石园".
                        entries += [
                            (w + a, (d.code, _W_ALIAS, "qualified")) for w in district_words.get(d.district_code, ())
                        ]
                        self._stems.add(normalise(a))
                        continue
                    entries.append((a, (d.code, _W_SHORT_ALIAS if len(a) <= 2 else _W_ALIAS, "alias")))
            else:
                entries.append((d.name, (d.code, _W_COMMUNITY, "name")))
                entries += [(a, (d.code, _W_ALIAS, "alias")) for a in d.aliases if normalise(a) not in stop]
        for lm in landmarks:
            if lm.place_code not in self.by_code:
                raise ValueError(f"landmark {lm.name!r} points at unknown place {lm.place_code!r}")
            # A two-character landmark ("北大", "后海") may sit inside another word ("北大街"):
            # like a short alias, it counts only as a word of its own.
            how = "alias" if len(normalise(lm.name)) <= 2 else "landmark"
            entries.append((lm.name, (lm.place_code, _W_LANDMARK, how)))
        self.automaton = Automaton(entries)

    def _stem_whole(self, hit: Hit, cuts: frozenset[int] | None, text: str) -> bool:
        if text.startswith(_STREET_TAILS, hit.end):
            return False
        if cuts is None:
            return True
        stem = max((len(k) for k in self._stems if hit.key.endswith(k)), default=0)
        return hit.end in cuts and (hit.end - stem) in cuts

    def _chain(self, d: Division) -> tuple[str, str | None, str | None]:
        """(district code, township code, community code) a division stands for."""
        if d.level == DISTRICT:
            return d.code, None, None
        if d.level == SUBDISTRICT:
            return d.district_code, d.code, None
        return d.district_code, d.parent_code, d.code

    def locate(self, text: str) -> Location:
        norm = normalise(text)
        hits = self.automaton.find(norm)
        cuts = self.cuts.cuts(norm) if self.cuts is not None else None
        if cuts is not None:
            # A short alias inside another word ("天桥" in "过街天桥") names no place; full names
            # and landmarks are long enough to stand whatever jieba does around them.
            hits = [h for h in hits if not all(t[2] == "alias" for t in h.tags) or WordCuts.whole(h, cuts)]
        # "通州中仓" names 中仓街道, "通州新华大街" a street and "门头沟永定河" a river: the stem
        # after the district must be a word of its own, with no street's suffix after it.
        hits = [h for h in hits if not all(t[2] == "qualified" for t in h.tags) or self._stem_whole(h, cuts, norm)]
        hits = drop_contained(hits)
        if not hits:
            return Location(reasons=("文本中未识别到北京市的区、街道（乡镇）、社区或地标名称",))
        dist_score: dict[str, float] = {}
        town_score: dict[str, float] = {}
        comm_score: dict[str, float] = {}
        mentions = []
        for h in hits:
            places = {}
            # "卢沟桥" names a township and a village: the township reading wins, otherwise
            # every village named after its township would outvote the township itself.
            has_area = any(self.by_code[c].level != COMMUNITY for c, _, _ in h.tags)
            for code, weight, _how in h.tags:
                if has_area and self.by_code[code].level == COMMUNITY:
                    continue
                places[code] = max(places.get(code, 0.0), weight)
            n_districts = len({self.by_code[c].district_code for c in places})
            mentions.append(h.key)
            for code, weight in places.items():
                dc, tc, cc = self._chain(self.by_code[code])
                share = weight / n_districts
                dist_score[dc] = dist_score.get(dc, 0.0) + share
                if tc:
                    town_score[tc] = town_score.get(tc, 0.0) + share
                if cc:
                    comm_score[cc] = comm_score.get(cc, 0.0) + share
        mentions_t = tuple(dict.fromkeys(mentions))
        ranked = sorted(dist_score.items(), key=lambda kv: -kv[1])
        top_code, top = ranked[0]
        tied = [c for c, s in ranked if abs(s - top) < 1e-9]
        if len(tied) > 1:
            names = tuple(self.by_code[c].name for c in tied)
            return Location(
                ambiguous=True,
                mentions=mentions_t,
                candidates=names,
                reasons=(f"地名“{'、'.join(mentions_t)}”在{'、'.join(names)}都有，且无其他线索区分，需人工确认",),
            )
        district = self.by_code[top_code]
        reasons = [f"区：{district.name}（依据“{'、'.join(mentions_t)}”）"]

        def best(scores: dict[str, float], parent_ok) -> tuple[Division | None, tuple[str, ...]]:
            cands = sorted(((s, c) for c, s in scores.items() if parent_ok(self.by_code[c])), reverse=True)
            if not cands:
                return None, ()
            top_s = cands[0][0]
            ties = [c for s, c in cands if abs(s - top_s) < 1e-9]
            if len(ties) > 1:
                return None, tuple(self.by_code[c].name for c in ties)
            return self.by_code[cands[0][1]], ()

        town, town_ties = best(town_score, lambda d: d.district_code == top_code)
        ambiguous = False
        candidates: tuple[str, ...] = ()
        if town_ties:
            ambiguous, candidates = True, town_ties
            reasons.append(f"街道（乡镇）无法确定：{'、'.join(town_ties)}均有可能")
        elif town:
            reasons.append(f"街道（乡镇）：{town.name}")
        community = None
        if town:
            community, comm_ties = best(comm_score, lambda d: d.parent_code == town.code)
            if community:
                reasons.append(f"社区（村）：{community.name}")
        return Location(district, town, community, ambiguous, tuple(reasons), mentions_t, candidates)
