"""Validate a GeoJSON FeatureCollection of administrative areas and hazard zones.

The import format, one Feature per area::

    {"type": "Feature",
     "properties": {"code": "TDP-07", "name": "Tổ dân phố 7", "level": "residential_group",
                    "parent_code": "00004", "households": 312, "population": 1104},
     "geometry": {"type": "Polygon", "coordinates": [[[105.80, 21.01], ...]]}}

Properties:

``code``
    required, non-empty string of at most 32 characters, unique in the file.
``name``
    required, non-empty string of at most 200 characters; returned NFC-normalised.
``level``
    required: ``province``, ``commune`` (``ward`` is accepted and returned as ``commune``),
    ``residential_group``, ``hamlet`` or ``hazard_zone``.
``parent_code``
    required except for provinces: the code of an area in the file or already known to the
    caller. A commune's parent is a province; a residential group's, hamlet's or hazard zone's
    parent is a commune.
``households``, ``population``, ``elderly_alone``, ``disabled``, ``young_children``
    optional whole numbers from 0 to 10,000,000.
``hazard``
    required for a hazard zone and only allowed there: ``flood``, ``landslide``, ``riverside``
    or ``coastal``.
``valid_from``, ``valid_to``
    optional ISO dates ``YYYY-MM-DD``; ``valid_to`` must be after ``valid_from``.

Strings are NFC-normalised and trimmed of surrounding whitespace before they are checked and
compared. Other properties are ignored. The geometry must be a valid Polygon or MultiPolygon
in WGS84 longitude/latitude; a third coordinate (height) is accepted and dropped.

:func:`parse_feature_collection` never raises on bad input: it returns an :class:`ImportPlan`
whose ``errors`` list every problem of every feature, in English and Vietnamese. Every input
feature either is in ``plan.features`` or has at least one error. A feature whose parent is in
the file but has errors gets an error too, so ``plan.features`` is always self-contained: each
feature's parent is earlier in the list or in ``known_codes``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import shapely
from shapely.geometry import MultiPolygon, Polygon

__all__ = [
    "COUNT_FIELDS",
    "HAZARDS",
    "LEVELS",
    "AreaFeature",
    "FeatureError",
    "ImportPlan",
    "parse_feature_collection",
]

PROVINCE: Final = "province"
COMMUNE: Final = "commune"
RESIDENTIAL_GROUP: Final = "residential_group"
HAMLET: Final = "hamlet"
HAZARD_ZONE: Final = "hazard_zone"

LEVELS: Final = (PROVINCE, COMMUNE, RESIDENTIAL_GROUP, HAMLET, HAZARD_ZONE)
_LEVEL_ALIASES: Final = {"ward": COMMUNE}

# Which level each level's parent must have. The tree is strictly layered (a child is always
# one rank below its parent), so parent chains can have no cycles.
_PARENT_LEVEL: Final[Mapping[str, str | None]] = {
    PROVINCE: None,
    COMMUNE: PROVINCE,
    RESIDENTIAL_GROUP: COMMUNE,
    HAMLET: COMMUNE,
    HAZARD_ZONE: COMMUNE,
}
_RANK: Final[Mapping[str, int]] = {
    PROVINCE: 0,
    COMMUNE: 1,
    RESIDENTIAL_GROUP: 2,
    HAMLET: 2,
    HAZARD_ZONE: 2,
}
_LEVEL_VI: Final[Mapping[str, str]] = {
    PROVINCE: "tỉnh/thành phố",
    COMMUNE: "xã/phường",
    RESIDENTIAL_GROUP: "tổ dân phố",
    HAMLET: "thôn/ấp",
    HAZARD_ZONE: "vùng nguy cơ",
}

HAZARDS: Final = ("flood", "landslide", "riverside", "coastal")
COUNT_FIELDS: Final = ("households", "population", "elderly_alone", "disabled", "young_children")

MAX_CODE_LENGTH: Final = 32
MAX_NAME_LENGTH: Final = 200
MAX_COUNT: Final = 10_000_000
# Integers longer than this in the JSON text are refused before Python converts them.
_MAX_INT_DIGITS: Final = 20

# GEOS validity reasons (shapely.is_valid_reason gives "Reason[x y]"), in plain words.
_INVALID_REASONS: Final[Mapping[str, tuple[str, str]]] = {
    "Self-intersection": ("geometry self-intersects", "hình tự cắt nhau"),
    "Ring Self-intersection": ("a ring touches itself", "một vòng ranh giới tự chạm vào chính nó"),
    "Hole lies outside shell": ("a hole lies outside its polygon", "một lỗ nằm ngoài đa giác"),
    "Holes are nested": ("a hole lies inside another hole", "một lỗ nằm trong một lỗ khác"),
    "Interior is disconnected": (
        "holes cut the polygon into pieces",
        "các lỗ chia cắt đa giác thành nhiều phần",
    ),
    "Nested shells": (
        "a polygon lies inside another polygon of the same MultiPolygon",
        "một đa giác nằm trong đa giác khác của cùng MultiPolygon",
    ),
    "Duplicate Rings": ("a ring is repeated", "một vòng ranh giới bị lặp lại"),
    "Too few points in geometry component": (
        "a ring has too few distinct points",
        "một vòng có quá ít điểm phân biệt",
    ),
    "Invalid Coordinate": ("a coordinate is not a number", "một tọa độ không phải là số"),
    "Ring is not closed": ("a ring is not closed", "một vòng ranh giới không khép kín"),
}
_REASON_AT: Final = re.compile(r"^(?P<reason>[^\[]+)\[(?P<x>\S+) (?P<y>\S+)\]$")


@dataclass(frozen=True, slots=True)
class FeatureError:
    """One problem with the file or with one feature.

    ``index`` is the feature's position in the ``features`` array (0-based, as ``.features[3]``
    in jq), or ``None`` for a problem with the file as a whole. ``code`` is the feature's code
    when it has a usable one.
    """

    index: int | None
    code: str | None
    message: str
    message_vi: str

    def where(self) -> str:
        if self.index is None:
            return "file"
        return f"feature {self.index}" + (f" (code {self.code})" if self.code else "")

    def where_vi(self) -> str:
        if self.index is None:
            return "tệp"
        return f"đối tượng {self.index}" + (f" (mã {self.code})" if self.code else "")

    def __str__(self) -> str:
        """``feature 3 (code TDP-07): geometry self-intersects at (105.8, 21.01)``."""
        return f"{self.where()}: {self.message}"

    def str_vi(self) -> str:
        return f"{self.where_vi()}: {self.message_vi}"


@dataclass(frozen=True, slots=True, eq=False)
class AreaFeature:
    """One valid area, ready to be saved.

    ``counts`` holds only the count properties present in the file, so "not given" and 0 differ.
    ``geometry`` is a valid shapely Polygon or MultiPolygon; ``geojson`` is the same geometry as
    a GeoJSON dict with 2-D float coordinates.
    """

    index: int
    code: str
    name: str
    level: str
    parent_code: str | None
    hazard: str | None
    counts: Mapping[str, int]
    valid_from: dt.date | None
    valid_to: dt.date | None
    geometry: Polygon | MultiPolygon
    geojson: dict[str, Any]


@dataclass(slots=True)
class ImportPlan:
    """Result of :func:`parse_feature_collection`.

    ``features`` is sorted so that parents come before children (provinces, then communes, then
    the rest; file order within a level). ``errors`` are in file order.
    """

    features: list[AreaFeature] = field(default_factory=list)
    errors: list[FeatureError] = field(default_factory=list)
    feature_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self, *, vietnamese: bool = False) -> list[str]:
        """One line per bad feature (its problems joined by "; "), file problems first."""
        by_place: dict[int | None, list[FeatureError]] = {}
        for error in self.errors:
            by_place.setdefault(error.index, []).append(error)
        lines = []
        for index in sorted(by_place, key=lambda i: -1 if i is None else i):
            errors = by_place[index]
            where = errors[0].where_vi() if vietnamese else errors[0].where()
            text = "; ".join(e.message_vi if vietnamese else e.message for e in errors)
            lines.append(f"{where}: {text}")
        return lines


class _Invalid(Exception):
    """A problem found while checking one value; carries both messages."""

    def __init__(self, message: str, message_vi: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_vi = message_vi


def _fmt(x: float) -> str:
    text = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# ---------------------------------------------------------------------------------------------
# JSON decoding


def _reject_constant(name: str) -> object:
    raise _Invalid(
        f"{name} is not allowed in JSON numbers",
        f"giá trị {name} không được phép trong số JSON",
    )


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Invalid(f"number {text[:40]} is too large", f"số {text[:40]} quá lớn")
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise _Invalid(f"number {text[:40]}… is too large", f"số {text[:40]}… quá lớn")
    return int(text)


def _decode(data: bytes, max_bytes: int) -> object:
    if len(data) > max_bytes:
        raise _Invalid(
            f"file is {len(data):,} bytes; the limit is {max_bytes:,}",
            f"tệp có {len(data):,} byte; giới hạn là {max_bytes:,}",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Invalid(
            f"file is not UTF-8 text (bad byte at position {exc.start})",
            f"tệp không phải văn bản UTF-8 (byte lỗi ở vị trí {exc.start})",
        ) from None
    try:
        return json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=_parse_float,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as exc:
        raise _Invalid(
            f"file is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            f"tệp không phải JSON hợp lệ: lỗi ở dòng {exc.lineno} cột {exc.colno}",
        ) from None
    except RecursionError:
        raise _Invalid(
            "file is nested too deeply to be GeoJSON", "tệp lồng nhau quá sâu, không phải GeoJSON"
        ) from None
    except ValueError as exc:  # e.g. Python's limit on integer string conversion
        raise _Invalid(f"file has a bad number: {exc}", "tệp có một số không hợp lệ") from None


# ---------------------------------------------------------------------------------------------
# Properties


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _required_string(props: Mapping[str, object], key: str, max_length: int) -> str:
    value = props.get(key)
    if value is None:
        raise _Invalid(f"property '{key}' is required", f"thiếu thuộc tính bắt buộc '{key}'")
    if not isinstance(value, str):
        raise _Invalid(
            f"property '{key}' must be a string, not {_type_name(value)}",
            f"thuộc tính '{key}' phải là chuỗi ký tự",
        )
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise _Invalid(f"property '{key}' is empty", f"thuộc tính '{key}' đang để trống")
    if len(value) > max_length:
        raise _Invalid(
            f"property '{key}' is {len(value)} characters long; the limit is {max_length}",
            f"thuộc tính '{key}' dài {len(value)} ký tự; tối đa {max_length}",
        )
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise _Invalid(
            f"property '{key}' contains control characters",
            f"thuộc tính '{key}' chứa ký tự điều khiển",
        )
    return value


def _choice(props: Mapping[str, object], key: str, choices: tuple[str, ...]) -> str:
    value = props.get(key)
    if value is None:
        raise _Invalid(f"property '{key}' is required", f"thiếu thuộc tính bắt buộc '{key}'")
    allowed = ", ".join(choices)
    if isinstance(value, str):
        value = _LEVEL_ALIASES.get(value, value) if key == "level" else value
        if value in choices:
            return value
        shown = repr(value[:40])
    else:
        shown = _type_name(value)
    raise _Invalid(
        f"property '{key}' is {shown}; expected one of {allowed}",
        f"thuộc tính '{key}' có giá trị {shown}; phải là một trong {allowed}",
    )


def _count(props: Mapping[str, object], key: str) -> int | None:
    value = props.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid(
            f"property '{key}' must be a whole number, not {_type_name(value)}",
            f"thuộc tính '{key}' phải là số nguyên",
        )
    if not 0 <= value <= MAX_COUNT:
        raise _Invalid(
            f"property '{key}' is {value}; it must be between 0 and {MAX_COUNT:,}",
            f"thuộc tính '{key}' là {value}; phải từ 0 đến {MAX_COUNT:,}",
        )
    return value


_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def _date(props: Mapping[str, object], key: str) -> dt.date | None:
    value = props.get(key)
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    shown = repr(value[:40]) if isinstance(value, str) else _type_name(value)
    raise _Invalid(
        f"property '{key}' is {shown}; expected a date like 2025-07-01",
        f"thuộc tính '{key}' có giá trị {shown}; phải là ngày dạng 2025-07-01",
    )


# ---------------------------------------------------------------------------------------------
# Geometry


def _position(value: object) -> tuple[float, float]:
    if not isinstance(value, list) or len(value) not in (2, 3):
        raise _Invalid(
            "each position must be a list [longitude, latitude]",
            "mỗi điểm phải là danh sách [kinh độ, vĩ độ]",
        )
    for number in value:
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise _Invalid(
                f"a coordinate is {_type_name(number)}, not a number",
                "một tọa độ không phải là số",
            )
    lon, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise _Invalid("a coordinate is not a finite number", "một tọa độ không phải số hữu hạn")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise _Invalid(
            f"position ({_fmt(lon)}, {_fmt(lat)}) is outside longitude -180..180, latitude "
            "-90..90 (are longitude and latitude swapped, or is this not WGS84?)",
            f"điểm ({_fmt(lon)}, {_fmt(lat)}) nằm ngoài kinh độ -180..180, vĩ độ -90..90 "
            "(kinh độ và vĩ độ bị đảo, hoặc không phải hệ WGS84?)",
        )
    return lon, lat


def _ring(value: object) -> list[tuple[float, float]]:
    if not isinstance(value, list):
        raise _Invalid(
            f"a ring must be a list of positions, not {_type_name(value)}",
            "một vòng ranh giới phải là danh sách các điểm",
        )
    ring = [_position(p) for p in value]
    if len(ring) < 4:
        raise _Invalid(
            f"a ring has {len(ring)} positions; at least 4 are needed",
            f"một vòng ranh giới có {len(ring)} điểm; cần ít nhất 4 điểm",
        )
    if ring[0] != ring[-1]:
        raise _Invalid(
            "a ring is not closed (its first and last positions differ)",
            "một vòng ranh giới không khép kín (điểm đầu và điểm cuối khác nhau)",
        )
    return ring


def _polygon_rings(value: object) -> list[list[tuple[float, float]]]:
    if not isinstance(value, list) or not value:
        raise _Invalid(
            "a polygon must be a non-empty list of rings",
            "một đa giác phải là danh sách vòng ranh giới không rỗng",
        )
    return [_ring(r) for r in value]


def _geometry(value: object) -> tuple[Polygon | MultiPolygon, dict[str, Any]]:
    if value is None:
        raise _Invalid("geometry is missing", "thiếu dữ liệu hình học (geometry)")
    if not isinstance(value, dict):
        raise _Invalid(
            f"geometry must be an object, not {_type_name(value)}",
            "geometry phải là một đối tượng JSON",
        )
    kind = value.get("type")
    if kind not in ("Polygon", "MultiPolygon"):
        shown = repr(kind[:40]) if isinstance(kind, str) else _type_name(kind)
        raise _Invalid(
            f"geometry type {shown} is not supported; expected Polygon or MultiPolygon",
            f"kiểu hình học {shown} không được hỗ trợ; phải là Polygon hoặc MultiPolygon",
        )
    coordinates = value.get("coordinates")
    geometry: Polygon | MultiPolygon
    if kind == "Polygon":
        polygons = [_polygon_rings(coordinates)]
    elif not isinstance(coordinates, list) or not coordinates:
        raise _Invalid(
            "a MultiPolygon must be a non-empty list of polygons",
            "MultiPolygon phải là danh sách đa giác không rỗng",
        )
    else:
        polygons = [_polygon_rings(p) for p in coordinates]
    try:
        parts = [Polygon(rings[0], rings[1:]) for rings in polygons]
        geometry = parts[0] if kind == "Polygon" else MultiPolygon(parts)
    except (ValueError, shapely.errors.ShapelyError) as exc:  # not expected after the checks
        raise _Invalid(f"geometry is invalid ({exc})", "hình không hợp lệ") from None
    out: list[Any] = [[[list(p) for p in r] for r in rings] for rings in polygons]
    if kind == "Polygon":
        out = out[0]

    reason = str(shapely.is_valid_reason(geometry))
    if reason != "Valid Geometry":
        match = _REASON_AT.match(reason)
        name = match.group("reason") if match else reason
        english, vietnamese = _INVALID_REASONS.get(
            name, (f"geometry is invalid ({name})", f"hình không hợp lệ ({name})")
        )
        if match:
            try:
                x, y = float(match.group("x")), float(match.group("y"))
            except ValueError:
                pass
            else:
                english += f" at ({_fmt(x)}, {_fmt(y)})"
                vietnamese += f" tại ({_fmt(x)}, {_fmt(y)})"
        raise _Invalid(english, vietnamese)
    if geometry.is_empty or not geometry.area > 0:
        raise _Invalid("geometry has no area", "hình có diện tích bằng 0")
    return geometry, {"type": kind, "coordinates": out}


# ---------------------------------------------------------------------------------------------
# Features


@dataclass(slots=True)
class _Draft:
    """What one feature has so far; ``ok`` turns false at its first error."""

    index: int
    code: str | None = None
    level: str | None = None
    parent_code: str | None = None
    ok: bool = True
    values: dict[str, Any] = field(default_factory=dict)


def _check_feature(index: int, raw: object, errors: list[FeatureError]) -> _Draft:
    draft = _Draft(index)

    def fail(problem: _Invalid) -> None:
        draft.ok = False
        errors.append(FeatureError(index, draft.code, problem.message, problem.message_vi))

    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        fail(
            _Invalid(
                'is not a GeoJSON Feature (an object with "type": "Feature")',
                "không phải đối tượng GeoJSON Feature",
            )
        )
        return draft
    props = raw.get("properties")
    if not isinstance(props, dict):
        fail(_Invalid("has no 'properties' object", "không có đối tượng 'properties'"))
        props = {}

    # Code first, so that every later message can name the feature.
    try:
        draft.code = _required_string(props, "code", MAX_CODE_LENGTH)
    except _Invalid as problem:
        fail(problem)

    def check(key: str, checker: Any, *args: Any) -> Any:
        try:
            return checker(props, key, *args)
        except _Invalid as problem:
            fail(problem)
            return None

    name = check("name", _required_string, MAX_NAME_LENGTH)
    level = check("level", _choice, LEVELS)
    draft.level = level

    has_parent = props.get("parent_code") is not None
    if level == PROVINCE:
        if has_parent:
            fail(
                _Invalid(
                    "a province has no parent_code; leave it out or set it to null",
                    "tỉnh/thành phố không có parent_code; hãy bỏ trống",
                )
            )
    elif level is not None or has_parent:
        parent_code = check("parent_code", _required_string, MAX_CODE_LENGTH)
        if parent_code is not None and parent_code == draft.code:
            fail(_Invalid("is its own parent", "tự làm cấp cha của chính nó"))
        else:
            draft.parent_code = parent_code

    hazard = None
    if level == HAZARD_ZONE:
        hazard = check("hazard", _choice, HAZARDS)
    elif props.get("hazard") is not None and level is not None:
        fail(
            _Invalid(
                f"property 'hazard' is only allowed on a hazard_zone, not on a {level}",
                f"thuộc tính 'hazard' chỉ dùng cho vùng nguy cơ, không dùng cho {_LEVEL_VI[level]}",
            )
        )

    counts = {key: check(key, _count) for key in COUNT_FIELDS}
    valid_from = check("valid_from", _date)
    valid_to = check("valid_to", _date)
    if valid_from is not None and valid_to is not None and valid_to <= valid_from:
        fail(
            _Invalid(
                f"valid_to ({valid_to}) must be after valid_from ({valid_from})",
                f"valid_to ({valid_to}) phải sau valid_from ({valid_from})",
            )
        )

    geometry = geojson = None
    try:
        geometry, geojson = _geometry(raw.get("geometry"))
    except _Invalid as problem:
        fail(problem)

    draft.values = {
        "name": name,
        "hazard": hazard,
        "counts": {k: v for k, v in counts.items() if v is not None},
        "valid_from": valid_from,
        "valid_to": valid_to,
        "geometry": geometry,
        "geojson": geojson,
    }
    return draft


def _file_error(problem: _Invalid) -> ImportPlan:
    return ImportPlan(errors=[FeatureError(None, None, problem.message, problem.message_vi)])


def parse_feature_collection(
    data: bytes,
    *,
    known_codes: Mapping[str, str],
    max_bytes: int = 50_000_000,
    max_features: int = 100_000,
) -> ImportPlan:
    """Check a GeoJSON FeatureCollection of areas; never raises on bad input.

    ``known_codes`` maps the code of each area already saved to its level (``ward`` is read as
    ``commune``); a feature may name one of them as its parent. A feature whose code is known
    updates that area and must keep its level.
    """
    try:
        root = _decode(data, max_bytes)
        if not isinstance(root, dict) or root.get("type") != "FeatureCollection":
            raise _Invalid(
                "file is not a GeoJSON FeatureCollection "
                '(an object with "type": "FeatureCollection")',
                "tệp không phải GeoJSON FeatureCollection",
            )
        raw_features = root.get("features")
        if not isinstance(raw_features, list):
            raise _Invalid(
                "the FeatureCollection has no 'features' list",
                "FeatureCollection không có danh sách 'features'",
            )
        if len(raw_features) > max_features:
            raise _Invalid(
                f"file has {len(raw_features):,} features; the limit is {max_features:,}",
                f"tệp có {len(raw_features):,} đối tượng; giới hạn là {max_features:,}",
            )
        if not raw_features:
            raise _Invalid("the FeatureCollection has no features", "tệp không có đối tượng nào")
    except _Invalid as problem:
        return _file_error(problem)

    errors: list[FeatureError] = []
    drafts = [_check_feature(i, raw, errors) for i, raw in enumerate(raw_features)]

    def fail(draft: _Draft, message: str, message_vi: str) -> None:
        draft.ok = False
        errors.append(FeatureError(draft.index, draft.code, message, message_vi))

    known = {code: _LEVEL_ALIASES.get(level, level) for code, level in known_codes.items()}

    # Codes must be unique in the file: flag every feature sharing a code, not just the later
    # ones, since there is no telling which one was meant.
    by_code: dict[str, list[_Draft]] = {}
    for draft in drafts:
        if draft.code is not None:
            by_code.setdefault(draft.code, []).append(draft)
    for code, same in by_code.items():
        if len(same) > 1:
            others = ", ".join(str(d.index) for d in same)
            for draft in same:
                fail(
                    draft,
                    f"code {code} is used by {len(same)} features ({others})",
                    f"mã {code} bị dùng cho {len(same)} đối tượng ({others})",
                )

    for draft in drafts:
        if draft.code in known and draft.level is not None and known[draft.code] != draft.level:
            was = known[draft.code]
            fail(
                draft,
                f"code {draft.code} already exists as a {was}; it cannot become a {draft.level}",
                f"mã {draft.code} đã có, là {_LEVEL_VI.get(was, was)}; "
                f"không thể đổi thành {_LEVEL_VI[draft.level]}",
            )

    # Parents: in the file (by unique code) or already known, with the right level.
    in_file = {code: same[0] for code, same in by_code.items() if len(same) == 1}
    for draft in drafts:
        if draft.parent_code is None or draft.level is None:
            continue
        wanted = _PARENT_LEVEL[draft.level]
        parent = in_file.get(draft.parent_code)
        parent_level = parent.level if parent is not None else known.get(draft.parent_code)
        if parent is None and parent_level is None:
            if draft.parent_code not in by_code:
                fail(
                    draft,
                    f"parent {draft.parent_code} is neither in the file nor already saved",
                    f"cấp cha {draft.parent_code} không có trong tệp và chưa được lưu",
                )
            # A duplicated parent code already has its own errors; the cascade below covers it.
        elif parent_level is not None and parent_level != wanted:
            fail(
                draft,
                f"parent {draft.parent_code} is a {parent_level}; a {draft.level} belongs to a "
                f"{wanted}",
                f"cấp cha {draft.parent_code} là {_LEVEL_VI.get(parent_level, parent_level)}; "
                f"{_LEVEL_VI[draft.level]} phải thuộc {_LEVEL_VI[str(wanted)]}",
            )

    # A feature whose parent in the file has errors cannot be saved either: repeat until stable
    # (chains are at most three levels deep).
    changed = True
    while changed:
        changed = False
        for draft in drafts:
            if not draft.ok or draft.parent_code is None:
                continue
            parents = by_code.get(draft.parent_code, [])
            if parents and not all(p.ok for p in parents):
                fail(
                    draft,
                    f"parent {draft.parent_code} in this file has errors",
                    f"cấp cha {draft.parent_code} trong tệp này có lỗi",
                )
                changed = True

    features = [
        AreaFeature(
            index=draft.index,
            code=str(draft.code),
            level=str(draft.level),
            parent_code=draft.parent_code,
            **draft.values,
        )
        for draft in drafts
        if draft.ok
    ]
    features.sort(key=lambda f: _RANK[f.level])
    errors.sort(key=lambda e: -1 if e.index is None else e.index)
    return ImportPlan(features=features, errors=errors, feature_count=len(drafts))
