"""Vietnamese text folding and normalisation for matching and search keys.

Pure Python (``unicodedata`` and ``re`` only), no Django import.

Vietnamese can be written in several byte-different but visually identical ways:

* Unicode form: precomposed NFC (``ộ`` = U+1ED9) or decomposed NFD (``o`` + U+0323 + U+0302).
* Tone-mark placement in the open diphthongs ``oa``, ``oe`` and ``uy`` at the end of a syllable:
  ``hòa`` / ``hoà``, ``khỏe`` / ``khoẻ``, ``thủy`` / ``thuỷ``. Both are in use; official lists
  mix them (the 2025 commune list has both "Hòa" and "Hoà").

:func:`normalise_tone_marks` picks one placement (tone on the first vowel: ``hòa``, ``khỏe``,
``thủy`` — the form of the 2025 province names "Khánh Hòa", "Thanh Hóa"). :func:`fold` throws
all diacritics away for loose search keys; :func:`admin_unit_key` is the strict key for joining
administrative unit names from different sources.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "admin_unit_key",
    "admin_unit_key_loose",
    "fold",
    "nfc",
    "normalise_tone_marks",
    "strip_diacritics",
    "vi_sort_key",
]

# The five Vietnamese tone marks as combining characters (NFD).
_GRAVE = "\u0300"  # huyền  à
_ACUTE = "\u0301"  # sắc    á
_TILDE = "\u0303"  # ngã    ã
_HOOK = "\u0309"  # hỏi    ả
_DOT_BELOW = "\u0323"  # nặng   ạ
_TONES = _GRAVE + _ACUTE + _TILDE + _HOOK + _DOT_BELOW

# Tone-mark placement rule.
#
# In the diphthongs oa, oe and uy the tone is written on the first vowel when the diphthong ends
# the syllable: hòa, khỏe, thủy (not hoà, khoẻ, thuỷ). When a consonant or another vowel follows,
# the tone is on the second vowel in both styles and must not move: hoàng, toán, xoài, thuyền,
# khuya. After "q" the "u" belongs to the consonant "qu", so quý, quỳ, quả are already right.
#
# Working on NFD text, the tone mark is a separate character right after the vowel it sits on,
# so the rule is a swap: "o a <tone>" -> "o <tone> a" when nothing letter-like follows.
_TONE_ON_SECOND_VOWEL = re.compile(
    rf"(?<![qQ])"  # not the u of "qu"
    rf"([oO][aAeE]|[uU][yY])"  # the open diphthong ...
    rf"([{_TONES}])"  # ... with the tone on its second vowel
    rf"(?![^\W\d_]|[\u0300-\u036f])"  # and ending the syllable (no letter or mark follows)
)


def _move_tone_to_first_vowel(match: re.Match[str]) -> str:
    diphthong, tone = match.group(1), match.group(2)
    return diphthong[0] + tone + diphthong[1]


def nfc(s: str) -> str:
    """Return ``s`` in Unicode Normalisation Form C (precomposed)."""
    return unicodedata.normalize("NFC", s)


def normalise_tone_marks(s: str) -> str:
    """NFC with one tone-mark placement: ``"Hoà"`` -> ``"Hòa"``, ``"Thuỷ"`` -> ``"Thủy"``.

    Only syllable-final ``oa``/``oe``/``uy`` (any case) are touched; see the rule above.
    """
    decomposed = unicodedata.normalize("NFD", s)
    return nfc(_TONE_ON_SECOND_VOWEL.sub(_move_tone_to_first_vowel, decomposed))


# Letters that Unicode does not decompose into base + mark.
_D_WITH_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def _without_marks(s: str) -> str:
    """Drop every combining mark (category M*) from an already decomposed string."""
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith("M"))


def strip_diacritics(s: str) -> str:
    """Remove diacritics, keep case and punctuation: ``"Đà Nẵng"`` -> ``"Da Nang"``.

    For messages that must go out without diacritics (GSM 7-bit SMS).
    """
    return nfc(_without_marks(unicodedata.normalize("NFD", s)).translate(_D_WITH_STROKE))


def _fold_once(s: str) -> str:
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", s).casefold())
    s = _without_marks(s).translate(_D_WITH_STROKE)
    return "".join(ch if ch.isalnum() else " " for ch in s)


def fold(s: str) -> str:
    """Search/matching key: no case, no diacritics, ``đ`` -> ``d``, words split by one space.

    ``fold("  Thành phố  HỒ CHÍ MINH!")`` == ``"thanh pho ho chi minh"``. Any character that is
    not a letter or digit after folding becomes a word separator. Compatibility forms are folded
    too (NFKD: full-width letters, superscript digits). Idempotent.
    """
    # Casefolding can produce characters that decompose again (and the reverse), so repeat
    # until nothing changes; real text settles after one pass, pathological text after two.
    folded = _fold_once(s)
    for _ in range(3):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return " ".join(folded.split())


# Unit-type prefixes of administrative unit names, longest first so "thị trấn" wins over "thị".
_UNIT_PREFIXES = (
    "thành phố",
    "đặc khu",
    "thị trấn",
    "thị xã",
    "phường",
    "huyện",
    "quận",
    "tỉnh",
    "xã",
    "tp.",
    "tp",
)
_UNIT_PREFIX = re.compile(
    r"^(?:"
    + "|".join(
        re.escape(p) if p.endswith(".") else re.escape(p) + r"(?=\s)" for p in _UNIT_PREFIXES
    )
    + r")\s*"
)

# Abbreviations used in place of a name (after the prefix is gone): "TP HCM", "TPHCM".
_NAME_ALIASES = {
    "hcm": "hồ chí minh",
    "tphcm": "hồ chí minh",
    "tp.hcm": "hồ chí minh",
}


def _words(s: str) -> str:
    """Keep letters, digits and their combining marks; everything else separates words."""
    kept = "".join(
        ch if ch.isalnum() or unicodedata.category(ch).startswith("M") or ch == "." else " "
        for ch in s
    )
    return " ".join(kept.split())


def admin_unit_key(name: str) -> str:
    """Strict matching key for a Vietnamese administrative unit name.

    Drops the unit-type prefix ("Thành phố", "Tỉnh", "TP.", "TP", "Phường", "Xã", "Đặc khu",
    "Thị trấn", "Thị xã", "Quận", "Huyện"), lowercases, normalises Unicode form and tone-mark
    placement, and collapses punctuation and spaces — but keeps diacritics, so that distinct
    names stay distinct ("Hà Nam" != "Hà Nấm")::

        admin_unit_key("Tỉnh Khánh Hoà") == admin_unit_key("Khánh Hòa") == "khánh hòa"
        admin_unit_key("TP HCM") == admin_unit_key("Thành phố Hồ Chí Minh") == "hồ chí minh"

    A name that is only a prefix ("Quận") is kept as it is rather than emptied.
    """
    key = _words(normalise_tone_marks(name).casefold())
    stripped = _UNIT_PREFIX.sub("", key, count=1)
    stripped = _words(stripped.replace(".", " ")) if stripped else key.replace(".", " ").strip()
    if stripped in _NAME_ALIASES:
        return _NAME_ALIASES[stripped]
    return stripped


def admin_unit_key_loose(name: str) -> str:
    """Looser key: :func:`admin_unit_key` then :func:`fold` (no diacritics).

    Matches names typed without diacritics ("Khanh Hoa"), at the price of collisions between
    names that differ only in diacritics; use it as a fallback after :func:`admin_unit_key`.
    """
    return fold(admin_unit_key(name))


# Vietnamese alphabetical order (the 29 letters, with f, j, w, z where Latin puts them):
# a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z. The letter-forming marks
# (breve, circumflex, horn, stroke) make a new letter; the tones only order words that are
# otherwise equal, in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_ALPHABET = [
    "a", "a" + _BREVE, "a" + _CIRCUMFLEX, "b", "c", "d", "đ", "e", "e" + _CIRCUMFLEX, "f", "g",
    "h", "i", "j", "k", "l", "m", "n", "o", "o" + _CIRCUMFLEX, "o" + _HORN, "p", "q", "r", "s",
    "t", "u", "u" + _HORN, "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONE_RANK = {_GRAVE: 1, _HOOK: 2, _TILDE: 3, _ACUTE: 4, _DOT_BELOW: 5}
_LETTER_MARKS = _BREVE + _CIRCUMFLEX + _HORN
_SORT_TOKEN = re.compile(r"[0-9]+|\s+|.", re.DOTALL)

# Primary classes: spaces sort first ("Tổ 1" before "Tổa"), then punctuation, numbers (by
# value, so "Tổ dân phố 2" comes before "Tổ dân phố 10"), letters, anything else.
_SPACE, _PUNCT, _NUMBER, _LETTER, _OTHER = range(5)


def vi_sort_key(name: str) -> tuple[tuple[tuple[int, int, str], ...], tuple[int, ...], str, str]:
    """Collation key for sorting names the Vietnamese way: ``sorted(names, key=vi_sort_key)``.

    Ă and Â come after A, Đ after D, Ê after E, Ô and Ơ after O, Ư after U; tones and case
    only break ties ("ba" < "bà" < "bả" < "bã" < "bá" < "bạ"); numbers inside names compare
    by value. Any Unicode form and tone placement ("Hoà"/"Hòa") give the same key.
    """
    decomposed = unicodedata.normalize("NFD", normalise_tone_marks(name))
    primary: list[tuple[int, int, str]] = []
    tones: list[int] = []
    for token in _SORT_TOKEN.findall(decomposed):
        if token.isspace():
            if primary and primary[-1][0] != _SPACE:
                primary.append((_SPACE, 0, ""))
            continue
        if token.isascii() and token.isdigit():  # by value, however long: length, then digits
            digits = token.lstrip("0") or "0"
            primary.append((_NUMBER, len(digits), digits))
            continue
        if unicodedata.category(token).startswith("M"):
            if token in _LETTER_MARKS and primary and primary[-1][0] == _LETTER:
                base = _ALPHABET[primary[-1][1]]
                if base + token in _LETTER_RANK:
                    primary[-1] = (_LETTER, _LETTER_RANK[base + token], "")
            elif token in _TONE_RANK:
                tones.append(_TONE_RANK[token])
            continue
        lower = token.lower()
        if lower in _LETTER_RANK:
            primary.append((_LETTER, _LETTER_RANK[lower], ""))
            tones.append(0)
        elif token.isalpha():
            primary.append((_OTHER, 0, lower))
        else:
            primary.append((_PUNCT, 0, token))
    while primary and primary[-1][0] == _SPACE:
        primary.pop()
    # Tones: one per letter, the tone replacing the 0 of the letter it sits on.
    tone_key: list[int] = []
    for tone in tones:
        if tone and tone_key and tone_key[-1] == 0:
            tone_key[-1] = tone
        else:
            tone_key.append(tone)
    # Lower case before upper case on a tie, then the text itself so the order is total.
    case_key = "".join("1" if ch.isupper() else "0" for ch in decomposed if ch.isalpha())
    return tuple(primary), tuple(tone_key), case_key, name
