"""Route a located matter to units through the dispatch catalog (R11.2, R12.1, R12.2, R17.1).

Units are plain records with the fields of `jiesu.engine.units.UnitSpec` (code, name,
kind, sector, place_code, district_code, always_on); the router indexes them once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .locate import Location
from .rules import LEVEL_CITY, LEVEL_DISTRICT, LEVEL_SUBDISTRICT, Catalog, CatalogEntry, Matter, UnitRef
from .text import Automaton, drop_contained, normalise
from .units import (
    CITY_DEPARTMENT,
    COMMUNITY_COMMITTEE,
    DISTRICT_DEPARTMENT,
    DISTRICT_GOV,
    ENGINE_TYPE,
    ENTERPRISE,
    SUBDISTRICT_OFFICE,
)

LEAD, ASSIST, SUPERVISE, COORDINATE = "lead", "assist", "supervise", "coordinate"

_FALLBACK_LEVELS = {
    LEVEL_SUBDISTRICT: (LEVEL_SUBDISTRICT, LEVEL_DISTRICT, LEVEL_CITY),
    LEVEL_DISTRICT: (LEVEL_DISTRICT, LEVEL_CITY),
    LEVEL_CITY: (LEVEL_CITY,),
}


@dataclass(frozen=True)
class Assignment:
    unit: Any  # a UnitSpec-like record
    role: str

    @property
    def type(self) -> str:
        return ENGINE_TYPE.get(self.unit.kind, self.unit.kind)


@dataclass(frozen=True)
class Route:
    assignments: tuple[Assignment, ...]
    entry: CatalogEntry | None
    reasons: tuple[str, ...]
    confident: bool
    # Why a person must confirm a lead the catalog did resolve (e.g. the operator is not named).
    review: str = ""
    # The department the caller asked for by name ("请园林部门来看看"), where it leads.
    asked: str = ""

    @property
    def lead(self) -> Assignment | None:
        for a in self.assignments:
            if a.role in (LEAD, COORDINATE):
                return a
        return None


class OperatorRouter:
    """Telecom matters go to the operator the caller names (lexicons `operator_router`).

    A Beijing dispatcher sends a broadband fault or a billing dispute to the caller's own
    operator; the communications authority only assists. Where no operator is named the
    catalog's default operator is kept and the order waits for a person, who asks the caller.
    Longer excluded words ("电信诈骗", "移动支付") hide the shorter names inside them.
    """

    def __init__(self, config: dict | None):
        config = config or {}
        self.sectors = frozenset(config.get("sectors", ()))
        self.default = config.get("default", "")
        entries = [(w, s) for s, words in (config.get("operators") or {}).items() for w in words]
        entries += [(w, None) for w in config.get("exclude", ())]
        self._names = Automaton(entries)

    def named(self, text: str) -> list[str]:
        """The operators the text names, in order of first mention."""
        out: list[str] = []
        for hit in drop_contained(self._names.find(normalise(text))):
            for sector in hit.tags:
                if sector and sector not in out:
                    out.append(sector)
        return out


class RuralRouter:
    """In a township's villages the township government (乡镇政府) is the territorial manager:
    a village road, a village's own water well, farmland built on, a livestock farm's smell or
    sewage by the village, a washed-out village bridge are its to lead, with the district
    department assisting (lexicons `rural_township`). Applies only where the text speaks of a
    village ("村里", "村民", "我们村"...) and the place is a town, township or 地区 (乡镇), for
    the matters listed; elsewhere the catalog's entry stands. Excluded names ("中关村",
    "度假村") hide the cues that overlap them.
    """

    SUFFIXES = ("镇", "乡", "地区")

    def __init__(self, config: dict | None):
        config = config or {}
        self.matters = frozenset(config.get("matters", ()))
        entries = [(w, "village") for w in config.get("cues", ())]
        entries += [(w, None) for w in config.get("exclude", ())]
        self._cues = Automaton(entries)

    def village_cue(self, text: str) -> str | None:
        hits = self._cues.find(normalise(text))
        # An excluded name hides every cue that overlaps it ("中关村里" is not "村里").
        hidden = [h for h in hits if "village" not in h.tags]
        for hit in drop_contained(hits):
            if "village" in hit.tags and not any(h.start < hit.end and hit.start < h.end for h in hidden):
                return hit.key
        return None

    def applies(self, matter_code: str, loc: Location, text: str) -> str | None:
        """The village cue that makes the township lead, or None."""
        if matter_code not in self.matters or loc.subdistrict is None or loc.ambiguous:
            return None
        if self.SUFFIXES and not loc.subdistrict.name.endswith(self.SUFFIXES):
            return None
        return self.village_cue(text)


class CompoundRouter(RuralRouter):
    """Inside a residential compound or community (小区, 楼道, 社区...) the township office is
    the territorial manager of what the property company and the community should settle: a
    lift, the maintenance fund, cars on the fire lane, a gas cylinder in a flat, the compound's
    green space, a manhole in the compound, community elderly care, noise and smoking in the
    building (lexicons `compound_township`). The catalog's department assists. Writers of the
    development sets labelled such requests township-led 20 times in 25, the same matters
    outside a compound mostly department-led.
    Any subdistrict; excluded names ("社区医院") hide the cues they overlap.
    """

    SUFFIXES = ()


class ParkRouter:
    """Inside one of the city's named parks (a landmark: 玉渊潭公园, 奥林匹克森林公园, 颐和园)
    the park's manager leads what happens there: its toilets, lights and paths, its opening
    hours, ice on its lake, dogs off the lead on its lawns. In Beijing that is the city's park
    administration or the district's landscaping bureau (园林绿化局), a department; the township
    office assists. A small park of a neighbourhood (街心公园, 社区公园) is no landmark and stays
    the township's, and so does what happens just outside a named park's gate ("天坛公园东门外",
    "香山公园附近": `outside` right after the name). Lexicons `park_department`: the landmark
    names that are parks end with one of `suffixes`; the request must also say the matter is in
    the park or in how it is run (`cues`).
    """

    def __init__(self, config: dict | None, landmark_names: Iterable[str] = ()):
        config = config or {}
        suffixes = tuple(config.get("suffixes", ()))
        parks = {n for n in landmark_names if suffixes and n.endswith(suffixes)}
        self.sector = config.get("sector", "")
        self.outside = tuple(config.get("outside", ()))
        self._parks = Automaton([(n, "park") for n in parks])
        self._cues = Automaton([(w, "inside") for w in config.get("cues", ())])

    def applies(self, text: str) -> tuple[str, str] | None:
        """(the park, the cue that puts the matter inside it), or None."""
        if not self.sector or not self._parks.size:
            return None
        text = normalise(text)
        parks = drop_contained(self._parks.find(text))
        if not parks:
            return None
        # "天坛公园东门外那个公交站" is about the street at its gate, whichever cue follows.
        if any(w in text[p.end : p.end + 5] for p in parks for w in self.outside):
            return None
        cue = next(iter(drop_contained(self._cues.find(text))), None)
        return (parks[0].key, cue.key) if cue is not None else None


class DepartmentRouter:
    """A caller who asks a named department to act ("请园林部门来看看", "希望文物部门查处",
    "要求环保部门夜里来查") is asking that sector's department to lead, and the writers of the
    development sets label such requests so whatever the catalog says: a leaning street tree is
    the township's in the catalog, yet "请园林部门来评估" was department-led 51 times in 54.
    Lexicons `named_department`: an ask word (`asks`) at most `window` characters before the
    department's name, in the same clause, with nothing of `gap_exclude` between ("请有关部门",
    "让我去找水务局", "请示教委" ask nobody by name); a name followed by "或街道", "和社区"
    (`coupled` then `territorial`) asks the township as well and is not taken.
    """

    _CLAUSE_ENDS = "，。！？；,.!?;\n"

    def __init__(self, config: dict | None):
        config = config or {}
        self.window = int(config.get("window") or 0)
        self.asks = tuple(normalise(w) for w in config.get("asks", ()))
        self.gap_exclude = tuple(normalise(w) for w in config.get("gap_exclude", ()))
        self.coupled = tuple(normalise(w) for w in config.get("coupled", ()))
        self.territorial = tuple(normalise(w) for w in config.get("territorial", ()))
        self._names = Automaton(
            (name, sector) for sector, names in (config.get("sectors") or {}).items() for name in names
        )
        self._reach = self.window + max(map(len, self.asks), default=0)
        # A decision routes one text several times (its matter, the rules' other matter, the
        # chooser's township); the answer of the last text is kept. One tuple, replaced whole,
        # so threads sharing the engine never see a text with another's answer.
        self._last: tuple[str, tuple[str, str] | None] | None = None

    def applies(self, text: str) -> tuple[str, str] | None:
        """(the sector, the name the caller used), or None."""
        last = self._last
        if last is not None and last[0] == text:
            return last[1]
        found = self._find(text)
        self._last = (text, found)
        return found

    def _find(self, text: str) -> tuple[str, str] | None:
        if not self._names.size or not self.asks:
            return None
        text = normalise(text)
        for hit in drop_contained(self._names.find(text)):
            before = text[max(0, hit.start - self._reach) : hit.start]
            cut = max(before.rfind(c) for c in self._CLAUSE_ENDS)
            before = before[cut + 1 :]
            asked = [(before.rfind(a), a) for a in self.asks if a in before]
            if not asked:
                continue
            at, ask = max(asked)
            gap = before[at + len(ask) :]
            if len(gap) > self.window or any(w in gap for w in self.gap_exclude + self.territorial):
                continue
            after = text[hit.end : hit.end + 8]
            if after.startswith(self.coupled) and any(t in after for t in self.territorial):
                continue
            return hit.tags[0], hit.key
        return None


class Router:
    def __init__(
        self,
        units: Iterable[Any],
        operators: dict | None = None,
        rural: dict | None = None,
        compound: dict | None = None,
        construction: dict | None = None,
        park: dict | None = None,
        landmark_names: Iterable[str] = (),
        named_department: dict | None = None,
    ):
        self.units = list(units)
        self.operators = OperatorRouter(operators)
        self.rural = RuralRouter(rural)
        self.compound = CompoundRouter(compound)
        # Illegal building in a historic area: territorial enforcement (lexicons `construction_township`).
        self.construction = CompoundRouter(construction)
        self.park = ParkRouter(park, landmark_names)
        self.department = DepartmentRouter(named_department)
        self.by_code: dict[str, Any] = {}
        self.by_place: dict[tuple[str, str], Any] = {}
        self.by_sector_district: dict[tuple[str, str, str], Any] = {}
        self.by_sector: dict[tuple[str, str], Any] = {}
        for u in self.units:
            self.by_code[u.code] = u
            if u.kind in (SUBDISTRICT_OFFICE, DISTRICT_GOV, COMMUNITY_COMMITTEE) and u.place_code:
                self.by_place.setdefault((u.kind, u.place_code), u)
            elif u.kind == DISTRICT_DEPARTMENT and u.district_code:
                self.by_sector_district.setdefault((u.kind, u.sector, u.district_code), u)
            elif u.sector:
                self.by_sector.setdefault((u.kind, u.sector), u)

    def resolve(self, ref: UnitRef, loc: Location) -> Any | None:
        if ref.code:
            return self.by_code.get(ref.code)
        if ref.kind == SUBDISTRICT_OFFICE:
            return loc.subdistrict and self.by_place.get((ref.kind, loc.subdistrict.code))
        if ref.kind == COMMUNITY_COMMITTEE:
            return loc.community and self.by_place.get((ref.kind, loc.community.code))
        if ref.kind == DISTRICT_GOV:
            return loc.district and self.by_place.get((ref.kind, loc.district.code))
        if ref.kind == DISTRICT_DEPARTMENT:
            return loc.district and self.by_sector_district.get((ref.kind, ref.sector, loc.district.code))
        if ref.kind in (CITY_DEPARTMENT, ENTERPRISE) or ref.sector:
            return self.by_sector.get((ref.kind, ref.sector))
        return None

    def district_gov(self, loc: Location) -> Any | None:
        return loc.district and self.by_place.get((DISTRICT_GOV, loc.district.code))

    def route(
        self,
        matter: Matter | None,
        loc: Location,
        catalog: Catalog,
        index: dict | None = None,
        text: str = "",
        territorial: str | None = None,
    ) -> Route:
        """The matter's units at this place. ``territorial``: why the township office leads
        here whatever the catalog's lead (its lead then assists); the engine's lead-type
        chooser gives it. A department the caller asks for by name leads before either
        (`DepartmentRouter`)."""
        route = self._catalog_route(matter, loc, catalog, index, text, territorial)
        if asked := self.department.applies(text):
            return self._asked_route(route, loc, *asked)
        return route

    def _asked_route(self, route: Route, loc: Location, sector: str, name: str) -> Route:
        """The department of `sector` the caller asked for leads (the district's, or the city's
        where the district is unknown or the sector has none); the units of `route` assist."""
        lead = None
        if loc.district is not None and not loc.ambiguous:
            lead = self.resolve(UnitRef(DISTRICT_DEPARTMENT, sector), loc)
        if lead is None:
            lead = self.resolve(UnitRef(CITY_DEPARTMENT, sector), loc)
        if lead is None:
            return route
        if route.lead is not None and route.lead.unit.code == lead.code:
            return replace(route, asked=name)
        out = [Assignment(lead, LEAD)]
        reasons = [*route.reasons, f"诉求人点名请{name}处理，改由{lead.name}主办"]
        seen = {lead.code}
        for a in route.assignments:
            if a.role != SUPERVISE and a.unit.code not in seen and a.unit.kind != COMMUNITY_COMMITTEE:
                out.append(Assignment(a.unit, ASSIST))
                seen.add(a.unit.code)
                reasons.append(f"{a.unit.name}协办")
        return Route(tuple(out), route.entry, tuple(reasons), True, "", name)

    def _catalog_route(
        self,
        matter: Matter | None,
        loc: Location,
        catalog: Catalog,
        index: dict | None,
        text: str,
        territorial: str | None,
    ) -> Route:
        index = index if index is not None else catalog.index()

        def in_park() -> tuple[str, str] | None:
            # Asked only where the catalog would give the township, the district or nobody.
            return self.park.applies(text) if loc.district is not None and not loc.ambiguous else None

        if matter is None:
            if park := in_park():
                return self._park_route(loc, None, park)
            return self._fallback(loc, None, ["未能确定诉求事项"])
        entry = None
        for level in _FALLBACK_LEVELS[loc.precision]:
            if level == LEVEL_CITY and loc.ambiguous and (matter.code, LEVEL_DISTRICT) in index:
                # The place is named but could be in several districts: a person picks it, and the
                # district's own department then leads; the city-level entry is for no place at all.
                break
            entry = index.get((matter.code, level))
            if entry:
                break
        if entry is None and (park := in_park()):
            return self._park_route(loc, None, park)
        if entry is None:
            missing = {LEVEL_SUBDISTRICT: "街道（乡镇）", LEVEL_DISTRICT: "区"}
            need = [missing[lv] for lv in (LEVEL_SUBDISTRICT, LEVEL_DISTRICT) if (matter.code, lv) in index]
            why = (
                f"派单目录{catalog.version}中“{matter.name}”需明确到{need[0]}"
                if need
                else f"派单目录{catalog.version}中没有“{matter.name}”的条目"
            )
            fallback = self._fallback(loc, None, [why], matter=matter)
            finer = index.get((matter.code, LEVEL_SUBDISTRICT)) or index.get((matter.code, LEVEL_DISTRICT))
            return self._with_specialists(fallback, finer, loc) if finer is not None else fallback
        if entry.lead.kind == COMMUNITY_COMMITTEE:
            # R17.1: a community only assists; a catalog row that says otherwise is a data error.
            return self._fallback(loc, entry, ["派单目录条目把社区（村）设为主办单位，违反R17.1，需人工派单"])
        if entry.lead.kind in (SUBDISTRICT_OFFICE, DISTRICT_GOV) and not territorial and (park := in_park()):
            return self._park_route(loc, entry, park)
        rural_note = None
        if entry.lead.kind != SUBDISTRICT_OFFICE and territorial and loc.subdistrict is not None:
            rural_note = territorial
        elif entry.lead.kind != SUBDISTRICT_OFFICE and (cue := self.rural.applies(matter.code, loc, text)):
            rural_note = f"诉求涉及乡镇村内事务（“{cue}”），属地乡镇政府主办，行业部门协办"
        elif entry.lead.kind != SUBDISTRICT_OFFICE and (cue := self.compound.applies(matter.code, loc, text)):
            rural_note = f"诉求发生在居民小区（社区）内（“{cue}”），属地街道（乡镇）主办，行业部门协办"
        elif entry.lead.kind != SUBDISTRICT_OFFICE and (cue := self.construction.applies(matter.code, loc, text)):
            rural_note = f"诉求涉及违法建设（“{cue}”），由属地街道（乡镇）组织查处，行业部门协办"
        if rural_note:
            # The catalog's own lead assists the township (it is still the specialised unit).
            entry = CatalogEntry(
                matter.code, LEVEL_SUBDISTRICT, UnitRef(SUBDISTRICT_OFFICE), (entry.lead, *entry.assist), entry.note
            )
        lead_ref, operator_note, confident = entry.lead, None, True
        if entry.lead.kind == ENTERPRISE and entry.lead.sector in self.operators.sectors:
            named = self.operators.named(text)
            if len(named) == 1:
                lead_ref = UnitRef(ENTERPRISE, named[0])
                operator_note = "诉求中点名了运营商，派该运营商主办"
            else:
                confident = False
                operator_note = (
                    "诉求中提到多家运营商，需人工确认主办运营商" if named else "诉求未说明运营商，需向诉求人确认后改派"
                )
        lead = self.resolve(lead_ref, loc)
        if lead is None:
            return self._fallback(
                loc,
                entry,
                [
                    f"目录要求的主办单位（{entry.lead.kind or entry.lead.code}"
                    f"{'/' + entry.lead.sector if entry.lead.sector else ''}）在单位名录中不存在"
                ],
                matter=matter,
            )
        out = [Assignment(lead, LEAD)]
        reasons = [f"按派单目录{catalog.version}（{_level_name(entry.level)}级条目）派{lead.name}主办（R11.2）"]
        if rural_note:
            reasons.append(rural_note)
        if operator_note:
            reasons.append(operator_note)
        seen = {lead.code}
        for ref in entry.assist:
            if ref.kind == COMMUNITY_COMMITTEE and not matter.community_may_assist:
                continue  # R17.1: only matters on the community duty list
            unit = self.resolve(ref, loc)
            if unit is not None and unit.code not in seen:
                out.append(Assignment(unit, ASSIST))
                seen.add(unit.code)
                reasons.append(f"{unit.name}协办")
        if lead.kind == SUBDISTRICT_OFFICE:
            gov = self.by_place.get((DISTRICT_GOV, lead.district_code)) if lead.district_code else None
            if gov is not None and gov.code not in seen:
                out.append(Assignment(gov, SUPERVISE))
                reasons.append(f"派街道（乡镇）同时派{gov.name}督办（R12.1）")
        return Route(tuple(out), entry, tuple(reasons), confident, "" if confident else operator_note or "")

    def _park_route(self, loc: Location, entry: CatalogEntry | None, park: tuple[str, str]) -> Route:
        """The park's manager (the district's landscaping department) leads; the township office
        assists where the place is known to one (`ParkRouter`)."""
        lead = self.resolve(UnitRef(DISTRICT_DEPARTMENT, self.park.sector), loc)
        if lead is None:
            return self._fallback(loc, entry, [f"公园主管部门（{self.park.sector}）在单位名录中不存在"])
        name, cue = park
        out = [Assignment(lead, LEAD)]
        reasons = [f"诉求发生在{name}内（“{cue}”），由公园主管部门{lead.name}主办"]
        town = self.resolve(UnitRef(SUBDISTRICT_OFFICE), loc)
        if town is not None:
            out.append(Assignment(town, ASSIST))
            reasons.append(f"{town.name}协办")
        return Route(tuple(out), entry, tuple(reasons), True)

    def unplaced_type(self, matter: Matter, index: dict, text: str) -> tuple[str, str] | None:
        """(type of the unit that leads, why) where the catalog needs a place the request does
        not give ("路灯不亮" is the township's, and which township is not said): the lead of the
        matter's entry at the finest level, or the township office where a compound, village or
        illegal-building cue makes it lead wherever the place turns out to be. `why` opens the
        engine's reason ("…主办单位" + "为<type>，请向诉求人问明地点后派单"). None where the
        catalog has no such entry (the call-taker then knows nothing more than before)."""
        entry = index.get((matter.code, LEVEL_SUBDISTRICT)) or index.get((matter.code, LEVEL_DISTRICT))
        if entry is None or entry.lead.kind == COMMUNITY_COMMITTEE:
            return None
        if asked := self.department.applies(text):
            return ENGINE_TYPE[DISTRICT_DEPARTMENT], f"诉求人点名请{asked[1]}处理，主办单位"
        if entry.lead.kind != SUBDISTRICT_OFFICE:
            for router in (self.rural, self.compound, self.construction):
                if matter.code in router.matters and (cue := router.village_cue(text)):
                    return ENGINE_TYPE[SUBDISTRICT_OFFICE], f"诉求发生在“{cue}”一带，主办单位"
        return ENGINE_TYPE.get(entry.lead.kind, entry.lead.kind), f"派单目录中“{matter.name}”的主办单位"

    def promote(self, route: Route, unit_type: str, why: str) -> Route | None:
        """The route with its first assisting unit of `unit_type` leading and the catalog's lead
        assisting; None where no unit of that type is on the route."""
        lead = route.lead
        if lead is None:
            return None
        other = next((a for a in route.assignments if a.role == ASSIST and a.type == unit_type), None)
        if other is None:
            return None
        rest = [Assignment(lead.unit, ASSIST)] + [a for a in route.assignments if a not in (lead, other)]
        reasons = (*route.reasons, f"{why}，改由{other.unit.name}主办，{lead.unit.name}协办")
        return Route((Assignment(other.unit, LEAD), *rest), route.entry, reasons, route.confident, route.review)

    def _with_specialists(self, route: Route, finer: CatalogEntry, loc: Location) -> Route:
        """The district coordinating `route` with the departments and enterprises of the finer
        entry it could not use, assisting: a fire hazard in a mall whose township is not known
        has the district's fire department on it, and the engine's lead-type chooser may ask
        it to lead (`Engine._choose_type`)."""
        if route.lead is None:
            return route
        seen = {a.unit.code for a in route.assignments}
        extra = []
        for ref in (finer.lead, *finer.assist):
            if ref.kind not in (DISTRICT_DEPARTMENT, CITY_DEPARTMENT, ENTERPRISE):
                continue
            unit = self.resolve(ref, loc)
            if unit is not None and unit.code not in seen:
                extra.append(Assignment(unit, ASSIST))
                seen.add(unit.code)
        if not extra:
            return route
        reasons = (*route.reasons, *(f"{a.unit.name}协办" for a in extra))
        return Route((*route.assignments, *extra), route.entry, reasons, route.confident, route.review)

    def _fallback(self, loc: Location, entry, why: list[str], matter: Matter | None = None) -> Route:
        gov = self.district_gov(loc)
        if gov is not None:
            return Route(
                (Assignment(gov, COORDINATE),),
                entry,
                tuple(why + [f"区已明确但无法确定具体承办单位，派{gov.name}统筹协调（R12.2）"]),
                False,
            )
        return Route((), entry, tuple(why + ["区和承办单位均无法确定，转派单员人工派单（R12.3）"]), False)


def _level_name(level: str) -> str:
    return {LEVEL_SUBDISTRICT: "街道", LEVEL_DISTRICT: "区", LEVEL_CITY: "市"}[level]
