from __future__ import annotations

from pctt.core.similarity import best_match, cluster, jaccard, shingles

DAM = "Thủy điện thượng nguồn xả lũ khẩn cấp đêm nay, cả phường phải sơ tán!"
DAM_RETYPED = "thuy dien thuong nguon xa lu khan cap dem nay ca phuong phai so tan"
DAM_VARIANT = "Nghe nói thuỷ điện thượng nguồn xả lũ khẩn cấp đêm nay, phải sơ tán hết"
DATA = "Nhà mạng tặng 10GB data miễn phí cho vùng lũ, bấm vào link để nhận"


def test_the_same_rumour_without_diacritics_or_in_nfd_is_the_same_text() -> None:
    import unicodedata

    assert jaccard(shingles(DAM), shingles(DAM_RETYPED)) == 1.0
    assert shingles(unicodedata.normalize("NFD", DAM)) == shingles(DAM)


def test_near_duplicate_claims_group_and_different_claims_do_not() -> None:
    groups = cluster([DAM, DATA, DAM_VARIANT, DAM_RETYPED, DATA.upper() + "!!!"])
    assert groups == [[0, 2, 3], [1, 4]]


def test_best_match_picks_the_closest_candidate_above_the_threshold() -> None:
    assert best_match(DAM_VARIANT, [(1, DATA), (2, DAM)]) == (
        2,
        best_match(DAM_VARIANT, [(2, DAM)])[1],
    )  # type: ignore[index]
    assert best_match("Điểm sơ tán ở đâu?", [(1, DATA), (2, DAM)]) is None
    assert best_match("", [(1, "")]) is None
