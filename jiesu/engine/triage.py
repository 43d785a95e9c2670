"""Triage: the six special cases of article 11.3 and the emergency lines (R11.3, R2.3, R9.1).

All word lists come from `Lexicons` (bureau data). One Aho-Corasick pass finds every term and
cue; the rules below decide which hits count. Every verdict carries Chinese reasons that a
call-taker can read back to the requester.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .calendar import aware
from .rules import Lexicons
from .text import (
    Automaton,
    Hit,
    WordCuts,
    bigrams,
    clause_index,
    clause_spans,
    drop_contained,
    enumeration_only,
    jaccard,
    normalise,
)

EMERGENCY = "emergency"
LEGAL_CHANNEL = "legal_channel"
REPEAT = "repeat"
SECRET_PRIVACY = "secret_privacy"
OUT_OF_SCOPE = "out_of_scope"
UNLAWFUL = "unlawful"

# After "现在", words that make it "these days": "现在很多人", "现在好多小区".
_GENERIC_AFTER_NOW = ("很多", "好多", "不少", "有些", "有的", "一些", "许多", "大家", "人们")
_NEG_WINDOW = 3  # characters before a term in which a negation word cancels it
_SENTENCE_ENDS = ("。", "！", "？", "；", "!", "?", ";")


def _ends_sentence(scan, clause: int) -> bool:
    """Whether the clause's sentence ends with it ("。", "！", "？", "；")."""
    end = scan.spans[clause][1]
    return scan.text[end : end + 1] in _SENTENCE_ENDS


# "后来" at most this many characters before a resolved cue ("后来人没事", "后来总算没事了").
_LATER, _LATER_GAP = "后来", 6


def _not_yet_pattern(spec: dict) -> re.Pattern:
    """`before` ("快", "差点"), then at most `gap` characters of one clause opened by a `with`
    word ("跟他们"), then a term: "都快跟他们打起来了" is a quarrel, not a fight. The `with`
    word keeps "快来人，他们打起来了" and "快点来他们打起来了" out: "快" there is a plea."""

    def alt(words) -> str:
        return "|".join(re.escape(normalise(w)) for w in sorted(words, key=len, reverse=True))

    company = rf"(?:(?:{alt(spec['with'])})[^,。!?;…~ ]{{0,{int(spec['gap'])}}})?" if spec.get("with") else ""
    return re.compile(rf"(?:{alt(spec['before'])}){company}(?:{alt(spec['terms'])})")


# Words a negation may stand before and still deny the term after them: a word of time ("也
# 不是什么着火", "没有正在冒烟") or of something happening to people ("目前未发生人员受伤",
# "没有造成人员伤亡": a report's own words for "nobody was hurt", round 113).
_NEG_BRIDGES = (
    "现在",
    "正在",
    "目前",
    "当时",
    "现在正在",
    "一直",
    "什么",
    "人员",
    "发生",
    "造成",
    "出现",
    "导致",
    "发生人员",
    "造成人员",
    "出现人员",
    "导致人员",
    "有人员",
)


# What may follow a term that ends its clause: "不冒烟了", "不漏气的".
_CLAUSE_TAIL = frozenset("了的啊呀呢吗吧过")


def _ends_clause(scan: _Scan, hit: Hit) -> bool:
    """Whether only particles follow `hit` in its clause ("不冒烟了")."""
    end = scan.spans[scan.clause_of(hit.start)][1]
    return all(ch in _CLAUSE_TAIL for ch in scan.text[hit.end : end].strip())


def _degree_phrases(spec: dict | None) -> list[str]:
    """A group's `exclude_by_degree`: a term said as how much something is felt ("挤得快喘不上
    气", "闷得人喘不上气": crowding, heat or stuffiness told by degree), each `degrees` word, then
    each `between` (possibly empty), then each term."""
    if not spec:
        return []
    return [d + m + t for d in spec["degrees"] for m in spec.get("between", ("",)) for t in spec["terms"]]


# Fear named with nothing feared after it is how the caller feels now, not a risk: "我好害怕" at
# the end of a clause, against "怕着火", "害怕出事" (ia-310: a drunk man kicking at one's door).
_FEELING = re.compile(r"(?:了|的|啊|呀|极了|死了|得很|得要命)?(?:[,。!?;…~ ]|$)")


# At most this many characters between a first-person resolve ("我就") and the pair it heads:
# "我就拿刀", "我就去拿刀捅了他".
_RESOLVE_GAP = 2
# How far apart (characters, one clause) the halves of a paired cue may stand: a span of days
# and "not seen" ("好几天没见他下楼", "没见他好几天了"), a newspaper and its piling up.
_DAYS_GAP = 4
# A person who may be lying helpless behind a door is checked on by the police, who can open
# it (the blind sets label such calls 110; 120 follows once someone is found).
BEHIND_DOOR_LINE = "110"


@dataclass(frozen=True)
class HistoryRecord:
    """One earlier order of the same requester, as the Django side hands it over."""

    number: str
    matter_code: str | None
    text: str
    received_at: datetime
    status: str
    # Whether the order is still in hand, as the order store knows it from its own status list.
    # None: judge by the lexicon's `repeat.open_statuses` (plain-data callers of `jiesu decide`).
    open: bool | None = None

    @classmethod
    def from_dict(cls, d: dict) -> HistoryRecord:
        at = d["received_at"]
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        is_open = d.get("open")
        return cls(
            str(d["number"]),
            d.get("matter_code"),
            d.get("text", ""),
            at,
            d.get("status", ""),
            None if is_open is None else bool(is_open),
        )

    def to_dict(self) -> dict:
        return {
            "number": self.number,
            "matter_code": self.matter_code,
            "text": self.text,
            "received_at": aware(self.received_at).isoformat(),
            "status": self.status,
            "open": self.open,
        }


@dataclass(frozen=True)
class Verdict:
    disposition: str
    reasons: tuple[str, ...]
    emergency_line: str | None = None
    channel: str | None = None  # legal channel key
    advice: str = ""
    repeat_of: str | None = None
    confident: bool = True
    evidence: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DoorSigns:
    """Someone may be lying helpless behind a door (`Triage.behind_door`): "transfer" where a
    sign speaks of harm (a smell, a fall heard, groaning), "review" where the signs only
    worry."""

    level: str
    evidence: tuple[str, ...]
    line: str = BEHIND_DOOR_LINE


@dataclass
class _Scan:
    text: str
    spans: list
    hits: list
    cuts: frozenset[int] | None = None  # word boundaries, where the engine has them

    def clause_of(self, pos: int) -> int:
        return clause_index(self.spans, pos)

    def in_clause(self, clause: int, tag_kind: str) -> list[Hit]:
        return [
            h
            for h in self.hits
            if h.tags and any(t[0] == tag_kind for t in h.tags) and self.clause_of(h.start) == clause
        ]


# A hit's tags that speak for an emergency group: its terms and its pairs' two halves.
_EM_TAGS = ("em", "em_a", "em_b")


class Triage:
    def __init__(self, lexicons: Lexicons, cuts: WordCuts | None = None):
        self.lex = lexicons
        self._injury_only_cues = frozenset(normalise(w) for w in (lexicons.get("cues") or {}).get("injury_only", ()))
        self.cuts = cuts
        # The words a nuisance call is named by (nuisance_only), normalised as hit keys are.
        self._nuisance_words = {normalise(w) for k in ("harassment", "abuse") for w in lexicons["unlawful"].get(k, ())}
        entries: list[tuple[str, tuple]] = []
        self.emergency_groups = list(lexicons["emergency"])
        for gi, g in enumerate(self.emergency_groups):
            entries += [(t, ("em", gi, "strong")) for t in g.get("strong", ())]
            entries += [(t, ("em", gi, "weak")) for t in g.get("weak", ())]
            entries += [(t, ("em_excl", gi)) for t in g.get("exclude", ())]
            entries += [(t, ("em_excl", gi)) for t in _degree_phrases(g.get("exclude_by_degree"))]
            for pi, pair in enumerate(g.get("pairs", ())):
                entries += [(t, ("em_a", gi, pi)) for t in pair["a"]]
                entries += [(t, ("em_b", gi, pi)) for t in pair["b"]]
                entries += [(t, ("em_px", gi, pi)) for t in pair.get("exclude", ())]
            cause = g.get("casualty_cause") or {}
            entries += [(t, ("em_veh", gi)) for t in cause.get("vehicles", ())]
            entries += [(t, ("em_veh_not", gi)) for t in cause.get("not_vehicles", ())]
        # A group's `not_yet`: its term said as about to happen ("业主们都快跟他们打起来了").
        self._not_yet = {
            gi: _not_yet_pattern(g["not_yet"]) for gi, g in enumerate(self.emergency_groups) if g.get("not_yet")
        }
        for cue_kind, words in lexicons["cues"].items():
            entries += [(w, ("cue", cue_kind)) for w in words]
        self.legal = list(lexicons["legal_channels"])
        for li, ch in enumerate(self.legal):
            entries += [(t, ("legal", li)) for t in ch["terms"]]
        entries += [(t, ("legal_sup",)) for t in lexicons.get("legal_suppress", ())]
        sp = lexicons["secret_privacy"]
        entries += [(t, ("secret",)) for t in sp["secret_terms"]]
        entries += [(t, ("priv_direct",)) for t in sp.get("direct", ())]
        entries += [(t, ("priv_verb",)) for t in sp["request_verbs"]]
        entries += [(t, ("priv_target",)) for t in sp["targets"]]
        entries += [(t, ("priv_info",)) for t in sp["info"]]
        oos = lexicons["out_of_scope"]
        entries += [(t, ("oos",)) for t in oos["terms"]]
        entries += [(t, ("oos_guard",)) for t in oos["guards"]]
        ul = lexicons["unlawful"]
        for key in ("abuse", "harassment", "threat", "illegal_request", "report_cues", "lawful_provider"):
            entries += [(t, ("ul", key)) for t in ul.get(key, ())]
        # Concepts of cases 4 and 6 read as two parts of one clause ("我就" … "砸", "怎么" …
        # "不被发现"). Their parts are often one character ("砸", "捅"), so they are found by a
        # second automaton whose hits are not held to whole words; the pairing keeps them narrow.
        cp_entries: list[tuple[str, tuple]] = []
        self.concepts: dict[str, list[dict]] = {}
        for owner in ("unlawful", "secret_privacy", "out_of_scope", "pinned_matter"):
            self.concepts[owner] = list((lexicons.get(owner) or {}).get("concepts", ()))
            for ci, c in enumerate(self.concepts[owner]):
                for part in ("a", "b", "block", "after"):
                    cp_entries += [(t, (owner, ci, part)) for t in c.get(part, ())]
        self.concept_automaton = Automaton(cp_entries)
        rp = lexicons["repeat"]
        for key in ("new_fact_cues", "unresolved_cues", "progress_cues"):
            entries += [(t, ("rp", key)) for t in rp.get(key, ())]
        for kind, words in lexicons["kind"].items():
            entries += [(w, ("kind", kind)) for w in words]
        self.automaton = Automaton(entries)

    # ------------------------------------------------------------------------------
    def scan(self, text: str) -> _Scan:
        text = normalise(text)
        hits = self.automaton.find(text)
        cuts = None
        if self.cuts is not None:
            # Cues ("现在", "没") qualify whatever stands near them; terms must be whole words.
            cuts = self.cuts.cuts(text)
            hits = [h for h in hits if all(t[0] == "cue" for t in h.tags) or WordCuts.whole(h, cuts)]
        return _Scan(text, clause_spans(text, asides=True), hits, cuts)

    @staticmethod
    def _tagged(scan: _Scan, first: str, second=None) -> list[tuple[Hit, tuple]]:
        out = []
        for h in scan.hits:
            for t in h.tags:
                if t[0] == first and (second is None or t[1] == second):
                    out.append((h, t))
        return out

    def _negated(self, scan: _Scan, hit: Hit) -> bool:
        lo = max(scan.spans[scan.clause_of(hit.start)][0], hit.start - _NEG_WINDOW)
        # A negation opens a word: "别" ends "特别" ("一股特别冲的煤气味"), "防" ends "消防", "没"
        # ends "淹没"; none of them denies what follows (round 26, set g).
        # A word of time between them still denies: "不是现在漏气", "没有正在冒烟" (round 45).
        # "不" denies only as a word of its own, right before the term (or with a word of time
        # between), and only where the term ends its clause: "白天却不冒烟", "现在不漏气了". In
        # "不停冒烟" it is no word of its own; "不给钱就打我" and "不砍死他我不罢休" threaten, and
        # there the term goes on into its clause (round 133).
        negations = [h for h, _ in self._tagged(scan, "cue", "negation")]
        if scan.cuts is not None and _ends_clause(scan, hit):
            negations += [
                h
                for h, _ in self._tagged(scan, "cue", "negation_word")
                if h.end in scan.cuts and (h.end == hit.start or scan.text[h.end : hit.start] in _NEG_BRIDGES)
            ]
        return any(
            (lo <= h.start or scan.text[h.end : hit.start] in _NEG_BRIDGES)
            and h.end <= hit.start
            and scan.clause_of(h.start) == scan.clause_of(hit.start)
            and (scan.cuts is None or h.start in scan.cuts)
            for h in negations
        )

    def _cues(self, scan: _Scan, clause: int, kind: str) -> list[Hit]:
        return [h for h, _ in self._tagged(scan, "cue", kind) if scan.clause_of(h.start) == clause]

    def _past(self, scan: _Scan, clause: int) -> list[Hit]:
        """Cues in the clause of what is over or only might be: history ("上个月"), last night or
        yesterday ("昨晚", round 37: "昨晚闻到燃气味……现在没事了") and the hypothetical."""
        return (
            self._cues(scan, clause, "history")
            + self._cues(scan, clause, "recent_past")
            + self._cues(scan, clause, "hypothetical")
        )

    def _past_holds(self, scan: _Scan, clause: int) -> bool:
        """The clause speaks of the past or of what might be, and no "now" follows in it."""
        past = self._past(scan, clause)
        if not past:
            return False
        last = max(p.start for p in past)
        return not any(p.start > last for p in self._cues(scan, clause, "present"))

    def _past_holding(self, scan: _Scan, hit: Hit) -> list[Hit]:
        """The cues of the past, a condition or a time gone by that hold `hit` (its clause's, and
        the sentence's opening date), unless a present cue follows the last of them before it:
        "去年着过火，现在又着火了" still fires. Empty where nothing holds it."""
        clause = scan.clause_of(hit.start)
        past = self._past(scan, clause) + self._conditional(scan, hit) + self._told_of_past(scan, clause)
        if not past:
            return []
        last = max(p.start for p in past)
        if any(last < p.start <= hit.start for p in self._cues(scan, clause, "present")):
            return []
        return past

    def _told_of_past(self, scan: _Scan, clause: int) -> list[Hit]:
        """A time gone by (`told_past`: a date, not a state such as "瘫痪在床" or a habit) that
        opens the sentence of `clause` in an earlier clause, where nothing since says now, again
        or suddenly ("上个月我儿子学校俩学生打架，一个被打进医院缝了针": the stitches
        are last month's too, set cs; "上周他打过我，今天又来砸门" is not). A sentence ends at
        "。", "！", "？" or "；"."""
        first = clause
        while first > 0 and not _ends_sentence(scan, first - 1):
            first -= 1
        for c in range(clause, first - 1, -1):
            if self._cues(scan, c, "present") or self._cues(scan, c, "again"):
                return []
            if c < clause and (told := self._cues(scan, c, "told_past")):
                return told
        return []

    def _resolved_around(
        self, scan: _Scan, first: int, last: int, present: list[Hit], line: str | None = None
    ) -> list[Hit]:
        """Cues that what clauses first..last describe is handled: in them or the clause after,
        or in the clause before unless the first says "now" ("火已扑灭无人员伤亡，但着火后楼道
        墙面一片焦黑" is the aftermath, bp; "火灭了，现在又着起来了" is not). On the road (`line`
        122) "人没事" handles nothing: the crashed cars still block the junction."""
        start = first - 1 if first > 0 and not present else first
        ignored = self._injury_only(line)
        near = [
            r
            for c in range(start, min(last + 1, len(scan.spans) - 1) + 1)
            for r in self._cues(scan, c, "resolved")
            if r.key not in ignored
        ]
        # "后来" before the outcome tells the whole sentence as a story that ended: "我爸在家突然
        # 晕倒，我们打了急救电话，救护车四十多分钟才到，幸亏后来人没事" (ii). In sets a-ic the 19
        # requests that say so were all labelled dispatch. Only the sentence of the danger: a
        # later sentence's "后来人没事" is another story ("晕倒了！去年我妈也晕过，后来人没事").
        end = last
        while end + 1 < len(scan.spans) and not _ends_sentence(scan, end):
            end += 1
        later = [
            r
            for c in range(last + 2, end + 1)
            for r in self._cues(scan, c, "resolved")
            if r.key not in ignored and _LATER in scan.text[max(0, r.start - _LATER_GAP) : r.start]
        ]
        return near + later

    def _not_yet_around(self, scan: _Scan, gi: int, hit: Hit) -> str | None:
        """The words that put `hit` in the near future ("快跟他们打起来"), if any."""
        for m in self._not_yet[gi].finditer(scan.text, max(0, hit.start - 20), hit.end):
            if m.start() <= hit.start < m.end():
                return m.group(0)
        return None

    def _injury_only(self, line: str | None) -> frozenset:
        """Resolved cues that only say nobody was hurt (cues `injury_only`), which do not end
        a road accident (122)."""
        return self._injury_only_cues if line == "122" else frozenset()

    def _conditional(self, scan: _Scan, hit: Hit) -> list[Hit]:
        """A condition, not an event: "要是再敢停水，我就拎着刀…", "真着火了就麻烦了". The
        conditional clause usually precedes its consequence, so the clause before counts too;
        "真" right before the words (not "真的") reads "if it really came to it"."""
        clause = scan.clause_of(hit.start)
        out = self._cues(scan, clause, "conditional")
        if clause > 0:
            out += self._cues(scan, clause - 1, "conditional")
        if hit.start >= 1 and scan.text[hit.start - 1] == "真":
            out.append(Hit(hit.start - 1, hit.start, "真", (("cue", "conditional"),)))
        elif scan.text[max(0, hit.start - 2) : hit.start] == "真着":  # "真着起火来" (set cs)
            out.append(Hit(hit.start - 2, hit.start, "真着", (("cue", "conditional"),)))
        return out

    def _preparedness(self, scan: _Scan) -> str | None:
        """The request is about being ready for danger (a drill, first-aid training, publicity,
        a suggestion) and says nowhere that anything is happening now: its danger words are the
        topic, not an event (round 24: 7 false emergencies of sets a-e). Equipment (an
        extinguisher, a hydrant, an AED) is no such cue: people reach for it while the fire
        burns ("物业拿灭火器灭不了"), and recall comes first (R2.3)."""
        # Training paid for under duress, or a training company, is commerce, not readiness
        # ("逼我们交钱培训，不让走": someone held now, set ds).
        commerce = [x for x, _ in self._tagged(scan, "cue", "preparedness_not")]
        ready = [
            (h, t)
            for h, t in self._tagged(scan, "cue", "preparedness")
            if not any(x.start <= h.start and h.end <= x.end for x in commerce)
        ]
        if not ready or self._said_now(scan):
            return None
        return ready[0][0].key

    def _said_now(self, scan: _Scan) -> bool:
        # "现在很多老人突发心梗都没人会急救" speaks of these days, not of this moment.
        return any(
            scan.text[h.end : h.end + 2] not in _GENERIC_AFTER_NOW for h, _ in self._tagged(scan, "cue", "present")
        )

    def _aftermath(self, scan: _Scan) -> str | None:
        """The request is about what a danger left behind (a work-injury claim, the medical bills,
        compensation) and says nowhere that anything is happening now: "送餐路上被车撞了，平台…
        不给认工伤…医药费都是我自己垫的" is a rider's claim, not a crash to send 122 to (round
        135: no emergency among the 1,800 development requests that name such a word)."""
        said = [h for h, _ in self._tagged(scan, "cue", "aftermath") if not self._negated(scan, h)]
        if not said or self._said_now(scan):
            return None
        return said[0].key

    # --- (1) emergencies -------------------------------------------------------------
    def emergency(self, scan: _Scan) -> Verdict | None:
        """A danger in the lexicon's groups; failing that, a person who may be lying helpless
        behind a door, where the signs speak of harm (`behind_door`)."""
        found = self._danger(scan)
        if found is not None:
            return found
        door = self.behind_door(scan)
        if door is None or door.level != "transfer":
            return None
        said = "”“".join(door.evidence)
        return Verdict(
            EMERGENCY,
            (
                f"可能有人倒在屋内无法求助（“{said}”），按条例第十一条转{door.line}上门查看，"
                "必要时同时通知120，不作为普通工单办理（R2.3）。",
            ),
            emergency_line=door.line,
            evidence=door.evidence,
        )

    def _standing(self, scan: _Scan, hit: Hit) -> bool:
        """A cue that tells of now: not negated, and not in a clause of the past, a worry or a
        condition unless a present cue follows the last of those ("以前…，现在…"). Last night
        is no such past here: a fall heard then behind a door that stays shut today is the sign."""
        if self._negated(scan, hit):
            return False
        clause = scan.clause_of(hit.start)
        past = self._cues(scan, clause, "history") + self._cues(scan, clause, "hypothetical")
        past += self._conditional(scan, hit)
        if not past:
            return True
        last = max(p.start for p in past)
        return any(last < p.start <= hit.start for p in self._cues(scan, clause, "present"))

    def behind_door(self, scan: _Scan) -> DoorSigns | None:
        """A person nobody has seen for days or who does not answer the door, often living
        alone, with signs that something has happened inside (R2.3). Three concepts, each a
        cue list: *absence* (a span of days next to "not seen": "好几天没见他下楼", not "没见人来
        修"), *no answer* at the door ("敲门没人应") or on the phone, *alone* ("独居"); and the
        signs: *harm* (a smell, a fall heard, distress: groaning, a cry for help, someone seen
        lying on the floor) and *worry* (newspapers or milk piling up, a light on for days). Harm
        with absence, distress behind an unanswered door, or a smell or a fall with an unanswered
        door of someone living alone is transferred; absence with one more concept, or an
        unanswered door with a sign, waits for a person.
        A person accounted for (moved, in hospital, missing outside and reported to the police)
        is no such case, and a caller after money ("房租", "欠款") is only transferred on harm.
        Past, hypothetical and negated cues do not count ("上个月有位老人走了好几天才被发现")."""

        def cues(kind: str) -> list[Hit]:
            return [h for h, _ in self._tagged(scan, "cue", kind) if self._standing(scan, h)]

        accounted = [h for h, _ in self._tagged(scan, "cue", "door_accounted") if not self._negated(scan, h)]
        if accounted or cues("resolved"):
            return None
        not_seen = [h for h, _ in self._tagged(scan, "cue", "door_unseen_not")]
        unseen = [u for u in cues("door_unseen") if not any(x.start <= u.start and u.end <= x.end for x in not_seen)]
        absent = self._beside(scan, self._tagged(scan, "cue", "door_days"), unseen)
        # Piling up is told of every day ("每天送的奶都没人拿"): only a negation cancels it.
        piled = [h for h, _ in self._tagged(scan, "cue", "door_piling_state") if not self._negated(scan, h)]
        piling = self._beside(scan, self._tagged(scan, "cue", "door_piling"), piled)
        door, phone, alone = cues("door_unanswered"), cues("door_unreachable"), cues("door_alone")
        # "门口也没闻到什么味道": a sense denied earlier in the clause cancels what it names.
        denied = [h for h, _ in self._tagged(scan, "cue", "door_unperceived")]

        def signs(kind: str) -> list[Hit]:
            return [
                h
                for h in cues(kind)
                if not any(scan.clause_of(n.start) == scan.clause_of(h.start) and n.end <= h.start for n in denied)
            ]

        smell, distress, thud = signs("door_smell"), signs("door_distress"), signs("door_thud")
        harm = smell + distress + thud
        transfer = (
            (absent and (door or phone or alone) and harm)
            or (door and distress)
            or (door and alone and (smell or thud))
        )
        review = (absent and (door or phone or alone or piling)) or (door and (piling or smell or thud))
        if transfer:
            level = "transfer"
        elif review and not self._tagged(scan, "cue", "door_motive"):
            level = "review"
        else:
            return None
        shown = drop_contained(absent + door + phone + alone + harm + piling)
        evidence = tuple(dict.fromkeys(h.key for h in shown))
        return DoorSigns(level, evidence)

    @staticmethod
    def _beside(scan: _Scan, firsts: list, seconds: list[Hit]) -> list[Hit]:
        """Two halves of one concept in one clause, a few characters apart in either order
        ("好几天没见他", "没见他好几天了", "报纸都堆着"): the span covering both, once per
        second half."""
        out: list[Hit] = []
        for b in seconds:
            for a, _ in firsts:
                if scan.clause_of(a.start) != scan.clause_of(b.start):
                    continue
                if 0 <= b.start - a.end <= _DAYS_GAP or 0 <= a.start - b.end <= _DAYS_GAP:
                    lo, hi = min(a.start, b.start), max(a.end, b.end)
                    out.append(Hit(lo, hi, scan.text[lo:hi], b.tags))
                    break
        return out

    def _danger(self, scan: _Scan) -> Verdict | None:
        if self._preparedness(scan) or self._aftermath(scan):
            return None
        excl = self._tagged(scan, "em_excl")
        found: dict[int, list[str]] = {}
        dropped: list[str] = []
        for hit, tag in self._tagged(scan, "em"):
            gi, strength = tag[1], tag[2]
            if any(x.start <= hit.start and hit.end <= x.end and x.tags[0][1] == gi for x, _ in excl):
                continue
            if gi in self._not_yet and (soon := self._not_yet_around(scan, gi, hit)):
                dropped.append(f"“{hit.key}”还没有发生（“{soon}”）")
                continue
            clause = scan.clause_of(hit.start)
            present = self._cues(scan, clause, "present")
            # "很浓的煤气味，现在整个楼道都是": the present cue often opens the next clause.
            near_present = present or (clause + 1 < len(scan.spans) and self._cues(scan, clause + 1, "present"))
            resolved = self._resolved_around(scan, clause, clause, present, self.emergency_groups[gi].get("line"))
            if self._negated(scan, hit):
                dropped.append(f"“{hit.key}”前有否定词")
                continue
            # Smoke from rubbish or leaves someone burns is the pollution complained of, not a
            # fire (round 39, set t: "每天傍晚都有人拿个铁桶烧落叶……浓烟滚滚"); flames that
            # spread are still read by the pairs.
            topic = self.emergency_groups[gi].get("smoke_of_burning") or {}
            if hit.key in topic.get("terms", ()) and (act := next((w for w in topic["acts"] if w in scan.text), None)):
                dropped.append(f"“{hit.key}”是“{act}”的烟")
                continue
            # So are its flames, where the burning is a habit the caller reports ("老板隔三差五在
            # 院里烧电线皮……烧起来那火苗子老高", set cp) and nothing says "now".
            if topic and not present and (act := self._habitual_burning(scan, topic)):
                dropped.append(f"“{hit.key}”是经常“{act}”的火")
                continue
            if resolved:
                dropped.append(f"“{hit.key}”后说明已处置（“{resolved[0].key}”）")
                continue
            if animal := self._animal_patient(scan, gi, hit):
                dropped.append(f"“{hit.key}”说的是动物（“{animal}”）")
                continue
            if past := self._past_holding(scan, hit):
                dropped.append(f"“{hit.key}”属于过去或假设情形（“{past[0].key}”）")
                continue
            # A weak term ("煤气味") fires when the caller says it is happening now, or how strong
            # it is in the same clause ("一股特别冲的煤气味"): nobody rings about a faint smell.
            if strength == "weak" and not near_present and not self._cues(scan, clause, "intense"):
                continue
            found.setdefault(gi, []).append(hit.key)
        fallback: dict[int, list[str]] = {}
        for gi, phrase, only_if_alone in self._pairs(scan, dropped):
            (fallback if only_if_alone else found).setdefault(gi, []).append(phrase)
        if not found and fallback:
            door = self.behind_door(scan)
            if door is not None and door.level == "transfer":
                return None  # the signs behind the door say more than a bump into something
            found = fallback
        if not found:
            return None
        medical_only = all(self.emergency_groups[g]["line"] == "120" for g in found)
        if medical_only and (crash := self._collision_behind(scan, set(found))):
            found.setdefault(crash[0], []).append(crash[1])
        gi = self._primary(found)
        g = self.emergency_groups[gi]
        reasons = [
            f"识别到紧急情形（{g['label']}）：“{'”“'.join(dict.fromkeys(found[gi]))}”，"
            f"按条例第十一条转{g['line']}处置，不作为普通工单办理（R2.3）。"
        ]
        if g.get("note"):
            reasons.append(g["note"])
        for other, terms in found.items():
            if other != gi:
                og = self.emergency_groups[other]
                reasons.append(f"同时提及{og['label']}（“{terms[0]}”），请一并告知{og['line']}。")
        return Verdict(EMERGENCY, tuple(reasons), emergency_line=g["line"], evidence=tuple(found[gi]))

    def _animal_patient(self, scan: _Scan, gi: int, hit: Hit) -> str | None:
        """The animal a body term is about: "死了三条狗了，都是…吃了不知道啥东西，口吐白沫就不行
        了" (dm) is poisoned dogs, for the police and not 120. An animal named as the one hurt
        (`animal_patient.animals`) in the term's clause or the two before, no person in the
        term's own clause, and no animal that bites or scratches (`unless`: then the person it
        hurt is the patient, "让狗咬了…血一直流")."""
        topic = self.emergency_groups[gi].get("animal_patient") or {}
        if not topic:
            return None
        c = scan.clause_of(hit.start)
        lo, hi = scan.spans[max(0, c - 2)][0], scan.spans[c][1]
        scene, own = scan.text[lo:hi], scan.text[scan.spans[c][0] : hi]
        animal = next((w for w in topic["animals"] if w in scene), None)
        if animal is None or any(w in scene for w in topic.get("unless", ())):
            return None
        own = own.replace(animal, "")
        return None if any(w in own for w in topic.get("people", ())) else animal

    @staticmethod
    def _habitual_burning(scan: _Scan, topic: Mapping) -> str | None:
        """An act of burning (`smoke_of_burning.acts`) said with a habit word
        (`smoke_of_burning.habit`, "隔三差五") in its clause or the one before it ("每天拆旧电器、
        烧电线皮", round 109)."""
        for act in topic.get("acts", ()):
            at = scan.text.find(act)
            if at < 0:
                continue
            clause = scan.clause_of(at)
            lo, hi = scan.spans[max(0, clause - 1)][0], scan.spans[clause][1]
            if any(w in scan.text[lo:hi] for w in topic.get("habit", ())):
                return act
        return None

    def _primary(self, found: dict[int, list[str]]) -> int:
        """The line that takes the call when several dangers are named: the cause, not its
        consequence. Injuries (120) come from the fire, the fight or the collision, and that
        line sends the ambulance along; a collision goes to 122 even when the drivers fight or
        someone is trapped, unless something burns. Otherwise most evidence wins, ties going to
        the order of the lexicon (fire and gas first)."""
        lines = {g: self.emergency_groups[g]["line"] for g in found}
        causes = [g for g in found if lines[g] != "120"] or list(found)
        traffic = [g for g in causes if lines[g] == "122"]
        burning = any(self.emergency_groups[g].get("fire") for g in causes)
        # A robber on a scooter who knocks his victim down is a robbery (set bt): a group's
        # `over_traffic` words, said in its evidence, keep the call from the traffic line.
        crime = [
            g
            for g in causes
            if any(w in said for w in self.emergency_groups[g].get("over_traffic", ()) for said in found[g])
        ]
        if crime:
            causes = crime
        elif traffic and not burning:
            causes = traffic
        return max(causes, key=lambda g: (len(found[g]), -g))

    def _scene_text(self, scan: _Scan, gi: int) -> str:
        """The text with the group's words that only look like its scene blanked out: the "车" of
        "救护车" or "派车" is no vehicle on the road (round 134)."""
        text = scan.text
        for h, _ in self._tagged(scan, "em_veh_not", gi):
            text = text[: h.start] + " " * (h.end - h.start) + text[h.end :]
        return text

    def _collision_behind(self, scan: _Scan, casualty: set[int]) -> tuple[int, str] | None:
        """A collision on the road behind a casualty read only as 120 ("被一辆电动三轮给撞了，
        我骑的电动车，人摔出去了，腿上一直流血"): the traffic line takes the call and sends the
        ambulance along, as where its pair fires (twenty development requests a-jm, writers'
        122, went to 120 in round 133). A collision word of a traffic group's pairs counts with
        a vehicle of its `casualty_cause` in its clause or a neighbouring one ("车间", "派车"
        are none), told before the casualty or with it (only forward, as the pairs: "大爷躺在地上
        …看着不像是被撞的" is a medical case, round 95), where no excluded word of the group's
        pairs is said ("不像被撞的") and the word stands: not negated, past, a condition or told
        of the past. `casualty`: the groups found. Returns the group and the words."""
        last_casualty = max(
            (scan.clause_of(h.start) for h in scan.hits for t in h.tags if t[0] in _EM_TAGS and t[1] in casualty),
            default=-1,
        )
        for gi, group in enumerate(self.emergency_groups):
            if group.get("line") != "122" or not group.get("casualty_cause"):
                continue
            # The collision pairs are those that name their scene; their excluded words ("不像",
            # "经常", "去年") set the collision aside here too.
            pairs = {pi for pi, pair in enumerate(group.get("pairs", ())) if pair.get("needs")}
            if any(t[0] == "em_px" and t[1] == gi and t[2] in pairs for h in scan.hits for t in h.tags):
                continue
            not_vehicles = [h for h, _ in self._tagged(scan, "em_veh_not", gi)]
            vehicles = [
                h
                for h, _ in self._tagged(scan, "em_veh", gi)
                if not any(x.start <= h.start and h.end <= x.end for x in not_vehicles)
            ]
            excl = [h for h, _ in self._tagged(scan, "em_excl", gi)]
            for h in scan.hits:
                if not any(t[0] == "em_a" and t[1] == gi and t[2] in pairs for t in h.tags):
                    continue
                if any(x.start <= h.start and h.end <= x.end for x in excl) or self._negated(scan, h):
                    continue
                clause = scan.clause_of(h.start)
                if clause > last_casualty:
                    continue
                vehicle = next((v for v in vehicles if abs(scan.clause_of(v.start) - clause) <= 1), None)
                if vehicle is None:
                    continue
                if self._past_holding(scan, h):
                    continue
                return gi, f"{vehicle.key}…{h.key}" if vehicle.start < h.start else f"{h.key}…{vehicle.key}"
        return None

    def _pairs(self, scan: _Scan, dropped: list[str]) -> list[tuple[int, str, bool]]:
        """Danger described as two concepts near each other, in a caller's own words: a weapon
        and an act ("拎着一把砍刀…乱挥"), fire or smoke and where it goes ("起火了，火苗往上窜"),
        a collision and its consequence. Both must stand in one clause or in neighbouring ones;
        the past, hypothetical, negated and handled cues of single terms apply to the pair.
        Returns (group, phrase, only if alone): the last is True for a pair read for its
        `otherwise` line, which counts only where nothing else is found."""
        a_hits: dict[tuple[int, int], list[Hit]] = {}
        b_hits: dict[tuple[int, int], list[Hit]] = {}
        excluded: set[tuple[int, int]] = set()
        # A group's excluded phrases hold its pair words as they hold its single terms: the
        # stove "烧着煤炉子" in a room is no fire, "起火原因" asks about one that is over.
        group_excl = self._tagged(scan, "em_excl")
        for h in scan.hits:
            for t in h.tags:
                if t[0] in ("em_a", "em_b") and any(
                    x.start <= h.start and h.end <= x.end and x.tags[0][1] == t[1] for x, _ in group_excl
                ):
                    continue
                if t[0] == "em_a":
                    a_hits.setdefault((t[1], t[2]), []).append(h)
                elif t[0] == "em_b":
                    b_hits.setdefault((t[1], t[2]), []).append(h)
                elif t[0] == "em_px":
                    excluded.add((t[1], t[2]))
        out: list[tuple[int, str]] = []
        for key, hits in a_hits.items():
            if key in excluded or key not in b_hits:
                continue
            # A pair may name what must be in the scene for its line: a collision needs a vehicle
            # or a road ("刚才咚的一声好像把人往墙上撞" is a fight, round 38). Without it the
            # pair speaks for the `otherwise` line (people who collide at play are injured: 120),
            # and only where nothing else does (`_danger`).
            pair = self.emergency_groups[key[0]]["pairs"][key[1]]
            group, only_if_alone = key[0], False
            needed = not pair.get("needs") or any(w in self._scene_text(scan, key[0]) for w in pair["needs"])
            if not needed and pair.get("needs_for"):
                # `needs_for`: only these a-words need the scene ("转走" of money, not of a
                # school file: round 133); the pair's other a-words stand on their own.
                wanting = {normalise(w) for w in pair["needs_for"]}
                hits = [a for a in hits if a.key not in wanting]
                if not hits:
                    continue
            elif not needed:
                other = [i for i, g in enumerate(self.emergency_groups) if g["line"] == pair.get("otherwise")]
                if not other:
                    continue
                group, only_if_alone = other[0], True
            # Clauses apart that still describe one scene (a gas smell, then "不敢开灯" three
            # clauses on): the lexicon's pair may widen it.
            # A crash told first and its casualty two clauses on, past the vehicles ("刚撞了！一辆
            # 出租跟一辆电动车，骑车的人躺地上没动弹", ds): `ahead` reaches further forward only.
            window = int(pair.get("window", 1))
            ahead = int(pair.get("ahead", window))
            # A pair may need its a-word first: the person before "没影了" ("孩子…没影了"), since in
            # "把车往门口一横，人就没影了，我们家老爷子坐轮椅出不去" the one gone is the driver (hw).
            a_first = bool(pair.get("a_first"))
            for a in hits:
                ca = scan.clause_of(a.start)
                near = [
                    b
                    for b in b_hits[key]
                    if b.start != a.start
                    and -window <= scan.clause_of(b.start) - ca <= ahead
                    and (not a_first or b.start > a.start)
                ]
                if not near:
                    continue
                # A negated consequence speaks only for itself: in "看着没人受伤…也不挪车，两条道
                # 全堵死了" the lanes are still blocked (dm).
                said = [b for b in near if not self._negated(scan, b)]
                if self._negated(scan, a) or not said:
                    dropped.append(f"“{(a if self._negated(scan, a) else near[0]).key}”前有否定词")
                    continue
                # Each consequence near the a-word in turn: one held by its own clause's past or
                # hypothetical ("逼我们交钱培训": training is a preparedness word) leaves the next
                # ("不让走") to speak (ds).
                if burning := self._burning_set_aside(scan, key, a, said[0]):
                    dropped.append(burning)
                    continue
                if animal := self._animal_patient(scan, key[0], a):
                    dropped.append(f"“{a.key}…{said[0].key}”说的是动物（“{animal}”）")
                    continue
                fired, first_why = None, None
                line = self.emergency_groups[key[0]].get("line")
                for b in said:
                    if (why := self._pair_set_aside(scan, pair, a, b, line)) is None:
                        fired = b
                        break
                    first_why = first_why or why
                if fired is None:
                    dropped.append(first_why)
                    continue
                out.append((group, f"{a.key}…{fired.key}", only_if_alone))
                break
        return out

    def _pair_set_aside(self, scan: _Scan, pair: Mapping, a: Hit, b: Hit, line: str | None = None) -> str | None:
        """Why the pair (a, b) tells of the past, a condition or a danger handled, or None."""
        first = min([a, b], key=lambda h: h.start)
        clause = scan.clause_of(first.start)
        # The past or a hypothetical said in either word's clause speaks for the pair
        # ("往下吊电线，看新闻说电动车起火特别吓人" is hearsay though the wires come first),
        # unless "now" follows it in that clause ("去年着过火，现在又着起来了").
        clauses = {clause, scan.clause_of(a.start), scan.clause_of(b.start)}
        # Where the a-word names the cause, its time is the cause's: "屋里昨晚生着煤炉子"
        # with a child who will not wake now is poisoning now; the b-word's clause decides.
        if pair.get("a_is_cause"):
            clauses = {scan.clause_of(b.start)}
        held = [c for c in clauses if self._past_holds(scan, c) or self._told_of_past(scan, c)]
        if self._conditional(scan, a) + self._conditional(scan, b) and not self._cues(scan, clause, "present"):
            held.append(clause)
        # What the caller says they will do is a threat (R11.3 case 6), not a crime under way:
        # "他不给我把屋顶修好，我就拿刀捅了他" (gh). The resolve opens the pair's own clause, just
        # before its first word; "我就听见有人喊救命" one clause earlier is only the telling.
        if not self._cues(scan, clause, "present") and any(
            0 <= first.start - r.end <= _RESOLVE_GAP for r in self._cues(scan, clause, "resolve")
        ):
            held.append(clause)
        # Handled in the clause after either word: "我妈…走丢了，后来邻居在公园里找着了" (bn).
        last = max(scan.clause_of(a.start), scan.clause_of(b.start))
        resolved = self._resolved_around(scan, clause, last, self._cues(scan, clause, "present"), line)
        if resolved or held:
            return f"“{a.key}…{b.key}”属于过去、假设或已处置情形"
        return None

    def _burning_set_aside(self, scan: _Scan, key: tuple[int, int], a: Hit, b: Hit) -> str | None:
        """Smoke or flames of a burning someone does, or does as a habit, for a fire pair."""
        topic = self.emergency_groups[key[0]].get("smoke_of_burning") or {}
        # Smoke from straw or leaves someone burns, as for single terms (round 45).
        if a.key in topic.get("pair_terms", ()) and (act := next((w for w in topic["acts"] if w in scan.text), None)):
            return f"“{a.key}…{b.key}”是“{act}”的烟"
        words_at = {scan.clause_of(a.start), scan.clause_of(b.start)}
        if (
            topic
            and not any(self._cues(scan, c, "present") for c in words_at)
            and (act := self._habitual_burning(scan, topic))
        ):
            return f"“{a.key}…{b.key}”是经常“{act}”的火"
        return None

    def tempered(self, scan: _Scan, line: str | None = None) -> str | None:
        """Why a learned emergency reading should not transfer on its own: the rules saw
        emergency words and set them aside (negated, past, hypothetical, handled), or the text
        speaks of the past, of a risk or of a handled event and nowhere of now. For an accident
        on the road (`line` 122) "人没事" ends nothing: the cars still block the junction
        (cues `injury_only`)."""
        injury_only = self._injury_only(line)
        negatives = self.emergency_negatives(scan)
        if negatives:
            return negatives[0]
        if ready := self._preparedness(scan):
            return f"文中“{ready}”表明是防范或建议，并非正在发生"
        # "手机差点被他抢走" tells of one act that did not happen, not that the whole call is
        # over: a near miss keeps its own clause's danger words from firing (`_past`), and
        # does not hold back the reader's reading of the rest.
        near_miss = {h.start for h, _ in self._tagged(scan, "cue", "near_miss")}
        # "他以前有心脏病" dates the illness the caller is describing, not the event: a history
        # cue in a clause about a standing condition (`medical_background`) does not say "over".
        background = {scan.clause_of(h.start) for h, _ in self._tagged(scan, "cue", "medical_background")}
        cues = {
            t[1]: h.key
            for h, t in self._tagged(scan, "cue")
            if t[1] in ("history", "recent_past", "hypothetical", "resolved", "present")
            and h.start not in near_miss
            and not (t[1] == "history" and scan.clause_of(h.start) in background)
            and not (t[1] == "resolved" and h.key in injury_only)
            and not (t[1] == "hypothetical" and h.key in ("怕", "害怕") and _FEELING.match(scan.text, h.end))
        }
        if "present" not in cues:
            for kind in ("resolved", "history", "recent_past", "hypothetical"):
                if kind in cues:
                    return f"文中“{cues[kind]}”表明并非正在发生"
            # A request the caller opens as a complaint, a report, a suggestion or a question
            # ("投诉地铁站保安！……他就推我") tells of what happened, unless it says "now": of
            # 3,090 such openings in the development sets and tests/data, one was an emergency,
            # and it said "现在还在楼道里堵着我".
            plea = (self.lex.get("kind_self_label") or {}).get("emergency_kind")
            if (label := self.opening_label(scan.text, skip=(plea,))) is not None:
                return f"诉求开头自述为“{label[1]}”，且未说明正在发生"
        return None

    def opening_label(self, text: str, skip: tuple[str, ...] = ()) -> tuple[str, str] | None:
        """(kind, word) the caller or the call-taker names at the start ("来电人举报：",
        "提个建议"): lexicons `kind_self_label`, within its first `head` characters, the earliest
        word winning; kinds in `skip` are not looked for."""
        conf = self.lex.get("kind_self_label") or {}
        head = text[: int(conf.get("head", 16))]
        best = None
        for kind, words in (conf.get("labels") or {}).items():
            if kind in skip:
                continue
            for w in words:
                i = head.find(w)
                if i >= 0 and (best is None or i < best[0]):
                    best = (i, kind, w)
        return best[1:] if best else None

    def emergency_negatives(self, scan: _Scan) -> list[str]:
        """Why emergency words in the text did not fire, for the reasons list."""
        out = []
        for hit, tag in self._tagged(scan, "em"):
            clause = scan.clause_of(hit.start)
            if self._negated(scan, hit):
                out.append(f"“{hit.key}”前有否定词，不按紧急警情处理")
            elif self._past(scan, clause) or self._conditional(scan, hit):
                out.append(f"“{hit.key}”属于过去或假设情形，不按紧急警情处理")
            elif any(
                r.key not in self._injury_only(self.emergency_groups[tag[1]].get("line"))
                for c in (clause, clause + 1)
                if c < len(scan.spans)
                for r in self._cues(scan, c, "resolved")
            ):
                out.append(f"“{hit.key}”已处置，不按紧急警情处理")
        return list(dict.fromkeys(out))

    # --- (2) legal channels -------------------------------------------------------------
    def legal_channel(self, scan: _Scan) -> Verdict | None:
        counts: dict[int, list[str]] = {}
        for hit, tag in self._tagged(scan, "legal"):
            clause = scan.clause_of(hit.start)
            if any(scan.clause_of(h.start) == clause for h, _ in self._tagged(scan, "legal_sup")):
                continue
            if self._negated(scan, hit):
                continue
            counts.setdefault(tag[1], []).append(hit.key)
        if not counts:
            return None
        li = max(counts, key=lambda i: (len(counts[i]), -i))
        ch = self.legal[li]
        reasons = (
            f"诉求涉及{ch['label']}（“{counts[li][0]}”），属于条例第十一条第三项第二种情形，"
            f"应告知诉求人通过{ch['label']}渠道解决。",
            ch["advice"],
        )
        return Verdict(LEGAL_CHANNEL, reasons, channel=ch["channel"], advice=ch["advice"], evidence=tuple(counts[li]))

    def lawful_ultimatum(self, scan: _Scan) -> bool:
        """An ultimatum whose consequence is the lawful way ("物业再不解决漏水，否则我就起诉他们"):
        the caller wants the problem fixed, and going to court is no threat. Neither a request
        for a legal channel (case 2) nor a threat of an extreme act (case 6), whatever a reader
        trained on threats ("否则我就…") makes of it."""
        suppressed = {scan.clause_of(h.start) for h, _ in self._tagged(scan, "legal_sup")}
        return bool(suppressed) and any(
            scan.clause_of(hit.start) in suppressed and not self._negated(scan, hit)
            for hit, _ in self._tagged(scan, "legal")
        )

    # --- (4) secrets and privacy ----------------------------------------------------------
    def secret_privacy(self, scan: _Scan) -> Verdict | None:
        sp = self.lex["secret_privacy"]
        secret = [h.key for h, _ in self._tagged(scan, "secret") if not self._negated(scan, h)]
        # "申请公开…镇里说是内部文件不给看" asks for the documents by the route the law gives:
        # the disclosure channel answers it (legal_channel, read as it reads itself), not a
        # refusal (set bs).
        legal = self.legal_channel(scan) if secret else None
        routed = legal is not None and any(
            ch["channel"] == legal.channel and ch.get("before_secret") for ch in self.legal
        )
        if secret and not routed:
            return Verdict(
                SECRET_PRIVACY,
                (f"诉求涉及国家秘密或商业秘密（“{secret[0]}”），属于条例第十一条第三项第四种情形。", sp["advice"]),
                advice=sp["advice"],
                evidence=tuple(secret),
            )
        direct = [h.key for h, _ in self._tagged(scan, "priv_direct")]
        if direct:
            return Verdict(
                SECRET_PRIVACY,
                (f"诉求要求获取他人隐私信息（“{direct[0]}”），属于条例第十一条第三项第四种情形。", sp["advice"]),
                advice=sp["advice"],
                evidence=tuple(direct),
            )
        if said := self.concept(scan, "secret_privacy"):
            return self._concept_verdict(SECRET_PRIVACY, said, "第四种情形", sp["advice"])
        verbs = self._tagged(scan, "priv_verb")
        targets = [h for h, _ in self._tagged(scan, "priv_target") if scan.text[h.end : h.end + 1] != "们"]
        infos = self._tagged(scan, "priv_info")
        for v, _ in verbs:
            clause = scan.clause_of(v.start)
            for t in targets:
                if scan.clause_of(t.start) != clause or t.start < v.start:
                    continue
                for i, _ in infos:
                    if scan.clause_of(i.start) == clause and i.start >= t.end and i.start - t.end <= 8:
                        phrase = scan.text[v.start : i.end]
                        return Verdict(
                            SECRET_PRIVACY,
                            (
                                f"诉求要求查询他人个人信息（“{phrase}”），属于条例第十一条第三项第四种情形。",
                                sp["advice"],
                            ),
                            advice=sp["advice"],
                            evidence=(phrase,),
                        )
        return None

    def offers_a_fee(self, scan: _Scan) -> bool:
        """Whether the unlawful case the text is read as is only the caller's offer of a fee or a
        gift to those who handle it (the `bribe_offer` concepts), nothing else unlawful."""
        said = self.concept(scan, "unlawful")
        if said is None or not said[0]["name"].startswith("bribe_offer"):
            return False
        by = {k: [h for h, _ in self._tagged(scan, "ul", k)] for k in ("threat", "illegal_request")}
        return not by["threat"] and not by["illegal_request"]

    def concept(self, scan: _Scan, owner: str) -> tuple[dict, str] | None:
        """The first of the owner's concepts (`lexicons[owner]["concepts"]`) said in the text:
        a term of `a`, then within `within` characters of the same clause a term of `b`, with
        no `block` term between them ("我都被砸了" is no threat), no negation right before `a`,
        and no `after` term right after `b` ("犯罪记录证明" is one's own certificate); a concept
        with `unless` words is not read in a text that says one of them anywhere (a victim
        reporting extortion quotes the extortioner's threat). Returns the concept and the phrase
        that says it."""
        concepts = self.concepts.get(owner) or []
        if not concepts:
            return None
        hits = self.concept_automaton.find(scan.text)
        parts: dict[tuple[int, str], list[Hit]] = {}
        for h in hits:
            for t in h.tags:
                if t[0] == owner:
                    parts.setdefault((t[1], t[2]), []).append(h)
        for ci, c in enumerate(concepts):
            if any(w in scan.text for w in c.get("unless", ())):
                continue
            within = int(c.get("within", 8))
            for a in parts.get((ci, "a"), ()):
                if self._negated(scan, a):
                    continue
                clause = scan.clause_of(a.start)
                for b in parts.get((ci, "b"), ()):
                    if b.start < a.end or b.start - a.end > within:
                        continue
                    # Items of one list stay one clause: "照片、家庭住址、孩子学校都曝光出去" (bm).
                    # A concept may reach into the next clauses ("老人的名单吧，能不能导一份给
                    # 我，带电话和住址的", `clauses`).
                    if scan.clause_of(b.start) - clause > int(c.get("clauses", 0)) and not enumeration_only(
                        scan.text[a.end : b.start]
                    ):
                        continue
                    if any(a.end <= x.start and x.end <= b.start for x in parts.get((ci, "block"), ())):
                        continue
                    if any(x.start == b.end for x in parts.get((ci, "after"), ())):
                        continue
                    return c, scan.text[a.start : b.end]
        return None

    @staticmethod
    def _concept_verdict(disposition: str, said: tuple[dict, str], case: str, advice: str, why: str = "") -> Verdict:
        # A concept is read from two words, not said outright: a person confirms it.
        c, phrase = said
        return Verdict(
            disposition,
            (f"{c['label']}（“{phrase}”），{why}属于条例第十一条第三项{case}。", advice),
            advice=advice,
            confident=False,
            evidence=(phrase,),
        )

    # --- (5) outside every unit's duty ------------------------------------------------------
    def out_of_scope(self, scan: _Scan) -> Verdict | None:
        terms = [h.key for h, _ in self._tagged(scan, "oos") if not self._negated(scan, h)]
        if not terms:
            # A concept carries its own exceptions (`unless`), not the section's guards: "让社区和
            # 物业帮着找找我家猫" asks for a lost pet however many units it names.
            if said := self.concept(scan, "out_of_scope"):
                advice = said[0].get("advice") or self.lex["out_of_scope"]["advice"]
                return self._concept_verdict(OUT_OF_SCOPE, said, "第五种情形", advice, "不属于承办单位职责，")
            return None
        guards = [h.key for h, _ in self._tagged(scan, "oos_guard")]
        if guards:
            return None
        advice = self.lex["out_of_scope"]["advice"]
        return Verdict(
            OUT_OF_SCOPE,
            (
                f"诉求属于私人民事纠纷或市场服务（“{terms[0]}”），不属于承办单位职责，"
                "属于条例第十一条第三项第五种情形。",
                advice,
            ),
            advice=advice,
            evidence=tuple(terms),
        )

    # --- (6) unlawful, malicious, harassing -------------------------------------------------
    def unlawful(self, scan: _Scan, matter_confident: bool) -> Verdict | None:
        advice = self.lex["unlawful"]["advice"]
        by = {
            k: [h for h, _ in self._tagged(scan, "ul", k)]
            for k in ("abuse", "harassment", "threat", "illegal_request", "report_cues", "lawful_provider")
        }
        # "说今天要弄死我" is a threat the caller suffers, not one the caller makes.
        threats = [h.key for h in by["threat"] if not self._negated(scan, h) and not scan.text.startswith("我", h.end)]
        if threats:
            return Verdict(
                UNLAWFUL,
                (
                    f"来电含威胁性言论（“{threats[0]}”），属于条例第十一条第三项第六种情形，"
                    "应劝导教育并告知法律后果，必要时报警。",
                    advice,
                ),
                advice=advice,
                confident=not matter_confident,
                evidence=tuple(threats),
            )
        if said := self.concept(scan, "unlawful"):
            return self._concept_verdict(UNLAWFUL, said, "第六种情形", advice)
        # A clause that reports ("有人在卖…") or names the lawful provider ("去税务局代开发票" is
        # the tax office's own service, not an invoice bought on the side) holds no request.
        held = {scan.clause_of(h.start) for h in by["report_cues"] + by["lawful_provider"]}
        illegal = [
            h.key for h in by["illegal_request"] if scan.clause_of(h.start) not in held and not self._negated(scan, h)
        ]
        # Someone reporting an offer ("卖小客车指标代办……这肯定是骗子吧") names the unlawful
        # act without asking for it.
        reporting = self.lex["unlawful"].get("report_anywhere", ("举报",))
        if illegal and not any(w in scan.text for w in reporting):
            return Verdict(
                UNLAWFUL,
                (f"诉求要求办理违法事项（“{illegal[0]}”），属于条例第十一条第三项第六种情形。", advice),
                advice=advice,
                evidence=tuple(illegal),
            )
        harass = [h.key for h in by["harassment"]]
        if harass and (len(harass) >= 2 or not matter_confident):
            return Verdict(
                UNLAWFUL,
                (f"来电与诉求无关、带有骚扰性质（“{harass[0]}”），属于条例第十一条第三项第六种情形（R9.1）。", advice),
                advice=advice,
                evidence=tuple(harass),
            )
        abuse = [h.key for h in by["abuse"]]
        if abuse and not matter_confident:
            return Verdict(
                UNLAWFUL,
                (f"来电以辱骂为主、无具体诉求（“{abuse[0]}”），属于条例第十一条第三项第六种情形（R9.1）。", advice),
                advice=advice,
                evidence=tuple(abuse),
            )
        return None

    def nuisance_only(self, verdict: Verdict | None) -> bool:
        """An unlawful verdict that rests on harassment or abuse words alone (no threat, no
        illegal request, no concept): a nuisance call, in which nobody is in danger."""
        if verdict is None or verdict.disposition != UNLAWFUL or not verdict.evidence:
            return False
        return all(e in self._nuisance_words for e in verdict.evidence)

    # --- (3) repeats --------------------------------------------------------------------
    def repeat(
        self, scan: _Scan, matter_code: str | None, received_at: datetime, history: Iterable[HistoryRecord]
    ) -> tuple[Verdict | None, list[str], str | None]:
        """A verdict when the same matter comes back with nothing new, plus notes on near misses
        and the number of the earlier order the new one must be linked to."""
        cfg = self.lex["repeat"]
        window = timedelta(days=int(cfg.get("window_days", 60)))
        min_sim = float(cfg.get("min_similarity", 0.22))
        open_statuses = set(cfg.get("open_statuses", ()))
        now = aware(received_at)
        grams = bigrams(scan.text)
        best, best_sim = None, 0.0
        for rec in history:
            if not matter_code or rec.matter_code != matter_code:
                continue
            age = now - aware(rec.received_at)
            # An order still in hand is a repeat however old; a closed one only within the window.
            if age < timedelta(0) or (not self._open(rec, open_statuses) and age > window):
                continue
            sim = jaccard(grams, bigrams(normalise(rec.text)))
            if sim > best_sim:
                best, best_sim = rec, sim
        progress = [h.key for h, _ in self._tagged(scan, "rp", "progress_cues")]
        if best is None or (best_sim < min_sim and not progress):
            return None, [], None
        new_facts = [h.key for h, _ in self._tagged(scan, "rp", "new_fact_cues")]
        unresolved = [h.key for h, _ in self._tagged(scan, "rp", "unresolved_cues")]
        is_open = self._open(best, open_statuses)
        if new_facts:
            return (
                None,
                [f"与工单{best.number}事项相同，但提供了新情况（“{new_facts[0]}”），按新诉求办理并关联原工单。"],
                best.number,
            )
        if not is_open and unresolved:
            return (
                None,
                [
                    f"与已办结工单{best.number}事项相同，诉求人反映问题未解决（“{unresolved[0]}”），重新派单并关联原工单。"
                ],
                best.number,
            )
        state = "正在办理中，应告知诉求人办理进度" if is_open else "已办结，应告知诉求人办理结果"
        reasons = (
            f"诉求人此前已就同一事项反映（工单{best.number}，相似度{best_sim:.2f}），本次无新情况，"
            f"属于条例第十一条第三项第三种情形：原工单{state}。",
        )
        return Verdict(REPEAT, reasons, repeat_of=best.number, evidence=(best.number,)), [], best.number

    @staticmethod
    def _open(rec: HistoryRecord, open_statuses: set[str]) -> bool:
        return rec.open if rec.open is not None else rec.status in open_statuses

    # --- kind ------------------------------------------------------------------------
    def infer_kind(self, scan: _Scan) -> tuple[str, list[str]]:
        score: dict[str, float] = {}
        for h, t in self._tagged(scan, "kind"):
            score[t[1]] = score.get(t[1], 0.0) + len(h.key)
        if not score:
            if scan.text.rstrip().endswith(("吗", "吗?", "吗？", "呢?", "呢？")):
                return "consultation", ["以问句提出，按咨询处理"]
            return "complaint", ["未见明显类型线索，按投诉处理"]
        # Explicit "举报"/"建议" outrank politeness words such as "请问" that any kind may use.
        order = ("report", "suggestion", "help", "complaint", "consultation")
        kind = max(score, key=lambda k: (score[k] + (1.5 if k in ("report", "suggestion") else 0), -order.index(k)))
        return kind, []
