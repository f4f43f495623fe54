"""Unit tests of the pure alignment pieces: label similarity and fitting values to columns."""

from __future__ import annotations

from linter.parse.align import align, digit_splits, fit, similarity


def test_similarity_prefers_the_right_numbered_row():
    assert similarity("2. 重 复 申 请", "2.重复申请") > 0.9
    assert similarity("2. 重复申请", "1.信访举报投诉类申请") < 0.5
    assert similarity("(六) 其他处理 1. 申请人无正当理由逾期不补正", "3.其他") < 0.5
    assert similarity("3. 其他", "3.其他") > similarity(
        "3. 其他", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    )


def test_align_keeps_order_and_fills_a_mangled_row_between_neighbours():
    official = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]
    printed = [("1.属于国家秘密", True), ("2.#@%&", True), ("3.危及三安全一稳定", True)]
    assert align(printed, official, lambda p: p[0], lambda p: p[1]) == {0: 0, 1: 1, 2: 2}
    label_only = [("1.属于国家秘密", True), ("2.#@%&", False), ("3.危及三安全一稳定", True)]
    assert align(label_only, official, lambda p: p[0], lambda p: p[1]) == {0: 0, 2: 2}


def _fit(cells, ncols, valid=None):
    seq, how, reading = fit(cells, ncols, lambda c: c == "", lambda c: c, valid)
    return seq, how, reading


def total_ok(v):
    return v[-1] == sum(v[:-1])


def test_fit_exact_count_positional_and_refusals():
    assert _fit(["1", "0", "1"], 3)[:2] == (["1", "0", "1"], "values")
    assert _fit(["5", "", "5"], 3)[:2] == (["5", "", "5"], "position")
    assert _fit(["", "5", "", "5", ""], 3)[:2] == (["5", "", "5"], "position")
    assert _fit(["", "5", "5", ""], 3)[1] == "unaligned"  # which end is blank? do not guess


def test_fit_extra_and_missing_value_only_when_unambiguous():
    seq, how, reading = _fit(["2", "0", "0", "2"], 3, total_ok)
    assert how == "extra" and reading == (2, 0, 2)
    assert _fit(["1", "1", "1", "2"], 3, total_ok)[1:] == ("extra", (1, 1, 2))
    assert _fit(["2", "0", "2", "2"], 3, total_ok)[1] == "unaligned"  # (0,2,2) or (2,0,2)
    assert _fit(["0", "0"], 3, total_ok)[1:] == ("inferred", (0, 0, 0))
    assert _fit(["2", "2"], 3, total_ok)[1] == "unaligned"  # (0,2,2) or (2,0,2)


def test_digit_runs_are_split_only_when_the_identity_allows_one_reading():
    assert _fit(["21710000218"], 7, total_ok)[1:] == ("split", (217, 1, 0, 0, 0, 0, 218))
    assert _fit(["200", "000121"], 7, total_ok)[1:] == ("split", (20, 0, 0, 0, 0, 1, 21))  # spaces are boundaries
    assert _fit(["0000000"], 7, total_ok)[1:] == ("split", (0,) * 7)
    assert _fit(["11213"], 3, total_ok)[1] == "ambiguous"  # 1+12=13 and 11+2=13
    assert _fit(["1111"], 3, total_ok)[1] == "unaligned"  # no reading satisfies the identity
    assert _fit(["6233440"], 3, None)[1] == "ambiguous"  # table 二 has no identity: 62/334/40, 6/233/440 …
    assert _fit(["000"], 3, None)[1:] == ("split", (0, 0, 0))  # forced: every cell is one digit


def test_digit_splits_respect_block_identities():
    def blocks_ok(v):
        return all(v[i + 4] == sum(v[i : i + 4]) for i in (0, 5, 10))

    assert digit_splits(["21317000001324019"], 15, blocks_ok, limit=5) == [
        (2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)
    ]
    assert digit_splits(["00202000001324015"], 15, blocks_ok, limit=5) == []  # 平潭社会事业局 2024: no reading


def test_a_run_with_no_valid_split_is_called_ambiguous_not_searched_for_ever():
    """Thirty-nine digits run together into seven cells have millions of splits; when the row's
    identity holds for none, the bounded search says "not unique" (PAR002), never "no split"."""
    from linter.parse.digits import SPLIT_STEPS, digit_splits

    groups = ["123456789123456789123456789123456789123"]
    assert len(digit_splits(groups, 7, lambda parts: False)) == 2  # as many as asked for: ambiguous
    assert digit_splits(["459"], 3, lambda parts: parts[0] + parts[1] == parts[2]) == [(4, 5, 9)]  # still unique
    assert SPLIT_STEPS >= 10_000


def test_the_row_identity_bounds_the_split_search_without_changing_its_answer():
    """A RowCheck lets the search skip branches whose readings all break the identity, still
    counting their steps: the readings found, their order and the "searched too long" answer
    are those of the same identity checked only at the end (a plain function), at any budget."""
    import random

    from linter.parse.digits import digit_splits, segment_valid

    rnd = random.Random(16)
    shapes = [
        (["total", "a", "b", "c", "d", "e", "f"], 1),
        (["a", "b", "c", "d", "total"], 3),
        (["a", "b", "total"], 2),
    ]
    compared = {"found": 0, "none": 0, "spent": 0}
    for _ in range(300):
        cols, blocks = rnd.choice(shapes)
        values = []
        for _ in range(blocks):
            parts = [rnd.choice([0, 0, rnd.randint(0, 9), rnd.randint(0, 99), rnd.randint(0, 9999)]) for _ in cols[1:]]
            values += parts + [sum(parts)] if cols[0] != "total" else [sum(parts)] + parts
        run = "".join(map(str, values))
        if rnd.random() < 0.3:  # a misprinted digit: often no reading at all
            i = rnd.randrange(len(run))
            run = run[:i] + str(rnd.randint(0, 9)) + run[i + 1 :]
        cut = rnd.randrange(1, len(run))
        groups = [run] if rnd.random() < 0.6 else [run[:cut], run[cut:]]
        check = segment_valid((["total"], [c for c in cols if c != "total"]), [cols] * blocks)
        limit, budget = rnd.choice([2, 5, 21]), rnd.choice([20_000, 3000, 200, 7])
        pruned = digit_splits(groups, len(cols) * blocks, check, limit=limit, budget=budget)
        plain = digit_splits(
            groups,
            len(cols) * blocks,
            check.__call__,  # not a RowCheck: checked at the end
            limit=limit,
            budget=budget,
        )
        assert pruned == plain, (groups, limit, budget)
        compared["spent" if () in plain else "found" if plain else "none"] += 1
    assert min(compared.values()) >= 20  # every kind of answer was compared


def test_label_matching_counts_what_difflib_matches():
    """The characters two labels share in order are counted as difflib's SequenceMatcher (no
    junk) counts them, ties between equally long blocks included (few letters: many ties)."""
    import random
    from difflib import SequenceMatcher

    from linter.parse.blockmatch import matched as _matched

    rnd = random.Random(7)
    for alphabet in ("ab", "abc", "申请公开不予", "申请人政府信息公开不予属于国家秘密其他"):
        for n in range(2000):
            a = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24 if n % 2 else 160)))
            b = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
            if n % 4 == 1:
                a, b = b, a  # runs followed along either text, the shorter one
            elif n % 8 == 2 and b:
                a = a[: len(a) // 2] + b + a[len(a) // 2 :]  # the shorter found whole in the longer
            blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
            assert _matched(a, b) == sum(block.size for block in blocks), (a, b)
