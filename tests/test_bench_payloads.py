"""The intake bench's payloads (bench/httpload.py): contenders of an interleaved comparison file
the same texts from callers of their own, with the same pattern of repeat callers."""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from httpload import make_payloads, shift_callers  # noqa: E402

PLACES = [["朝阳区", "望京街道", "花家地社区"], ["海淀区", "学院路街道", "石油大院社区"]]


def test_shifted_callers_file_the_same_texts_as_other_callers_repeating_alike():
    first = make_payloads(300, PLACES, seed=7)
    second = shift_callers(first, 1)
    assert [p["content"] for p in second] == [p["content"] for p in first]
    assert not {p["requester_phone"] for p in first} & {p["requester_phone"] for p in second}
    assert sorted(Counter(p["requester_phone"] for p in first).values()) == sorted(
        Counter(p["requester_phone"] for p in second).values()
    )
    assert all(len(p["requester_phone"]) == 11 and p["requester_phone"][0] == "1" for p in second)
    assert shift_callers(first, 0) is first
