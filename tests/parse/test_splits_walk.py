"""``flattened.splits`` counts the branches that find no cut instead of walking them: it must give the
cuts, the steps it charges and the point where a limit stops it exactly as the walk that tries every
cut one step at a time (the reference below, the function it replaced), however far a caller reads.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.parse import flattened
from analysis.parse.flattened import Budget, TooManyWays, splits

_GROUP = re.compile(r"(?P<sign>[-+]?)(?P<digits>\d+)(?P<suffix>(?:\.\d+)?(?:万元|亿元|元|笔|个)?)$")


def walked(groups: list[str], n: int, budget: Budget, max_steps: int) -> Iterator[list[str]]:
    """The reference: every cut tried one step at a time."""
    parsed = [m.groupdict() for g in groups if (m := _GROUP.match(g))]
    if len(parsed) != len(groups):
        return
    steps = 0

    def cut(digits: str, k: int) -> Iterator[list[str]]:
        nonlocal steps
        steps += 1
        budget.left -= 1
        if steps > max_steps or budget.left < 0:
            raise TooManyWays("too many")
        if k == 1:
            if digits and (digits == "0" or digits[0] != "0"):
                yield [digits]
            return
        for end in [1] if digits[:1] == "0" else range(1, len(digits) - k + 2):
            for rest in cut(digits[end:], k - 1):
                yield [digits[:end], *rest]

    def rec(i: int, left: int) -> Iterator[list[str]]:
        if i == len(parsed):
            if left == 0:
                yield []
            return
        g = parsed[i]
        for k in range(1, min(len(g["digits"]), left - (len(parsed) - i - 1)) + 1):
            for parts in cut(g["digits"], k):
                parts = (
                    [g["sign"] + parts[0], *parts[1:-1], parts[-1] + g["suffix"]]
                    if k > 1
                    else [g["sign"] + parts[0] + g["suffix"]]
                )
                for rest in rec(i + 1, left - k):
                    yield [*parts, *rest]

    yield from rec(0, n)


def _read(cuts: Iterator[list[str]], budget: Budget, take: int) -> tuple[list[list[str]], bool, int]:
    """The cuts a caller reading ``take`` of them gets, whether the limit stopped it, the budget left."""
    got: list[list[str]] = []
    try:
        got.extend(itertools.islice(cuts, take))
    except TooManyWays:
        return got, True, budget.left
    return got, False, budget.left


_groups = st.lists(
    st.tuples(
        st.sampled_from(["", "", "-", "+"]),
        st.text("0000123456789", min_size=1, max_size=10),
        st.sampled_from(["", "", ".5", "万元", "个"]),
    ).map("".join),
    min_size=1,
    max_size=3,
)


@settings(max_examples=400, deadline=None)
@given(
    groups=_groups,
    n=st.integers(0, 16),
    left=st.one_of(st.just(10**6), st.integers(-1, 300)),
    take=st.one_of(st.just(10**9), st.integers(0, 20)),
    max_steps=st.one_of(st.just(20_000), st.integers(0, 400)),
)
def test_splits_is_the_step_by_step_walk(groups, n, left, take, max_steps) -> None:  # noqa: ANN001
    kept = flattened.MAX_STEPS
    flattened.MAX_STEPS = max_steps
    try:
        mine, theirs = Budget(left), Budget(left)
        got = _read(splits(groups, n, mine), mine, take)
        assert got == _read(walked(groups, n, theirs, max_steps), theirs, take)
    finally:
        flattened.MAX_STEPS = kept


def test_a_long_run_is_walked_and_stopped_as_before() -> None:
    run = "123456789" * 8  # longer than COUNTED_DIGITS: walked step by step
    mine, theirs = Budget(), Budget()
    assert _read(splits([run], 15, mine), mine, 10**9) == _read(
        walked([run], 15, theirs, flattened.MAX_STEPS), theirs, 10**9
    )
    assert mine.left == Budget().left - flattened.MAX_STEPS - 1  # stopped at the first step past the limit
