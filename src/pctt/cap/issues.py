"""Problems found in a CAP document: stable rule ids with Vietnamese and English messages.

Rule ids are part of the public interface (stored, shown to operators, asserted in tests):
never rename one; add a new id instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    severity: Severity
    template_vi: str
    template_en: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.rule_id: rule for rule in rules}


E: Severity = "error"
W: Severity = "warning"

# Templates use str.format with the keyword `detail` (free text, usually from the offending value).
RULES: dict[str, Rule] = _rules(
    # Reading the bytes safely.
    Rule("xml.empty", E, "Tệp rỗng.", "The file is empty."),
    Rule(
        "xml.too_large",
        E,
        "Tệp quá lớn ({detail}); không đọc để bảo vệ hệ thống.",
        "The file is too large ({detail}); it was not parsed.",
    ),
    Rule(
        "xml.doctype",
        E,
        "Tài liệu có khai báo DOCTYPE; CAP không dùng DTD nên pctt từ chối (chống tấn công XXE).",
        "The document has a DOCTYPE; CAP never needs one, so pctt rejects it (XXE protection).",
    ),
    Rule(
        "xml.syntax",
        E,
        "Không phải XML hợp lệ: {detail}",
        "Not well-formed XML: {detail}",
    ),
    Rule(
        "xml.depth",
        E,
        "Các phần tử lồng nhau quá sâu ({detail}).",
        "Elements are nested too deeply ({detail}).",
    ),
    # Is it CAP 1.2 at all?
    Rule(
        "cap.version",
        E,
        "Đây là CAP {detail}; pctt chỉ nhận CAP 1.2.",
        "This is CAP {detail}; pctt accepts CAP 1.2.",
    ),
    Rule(
        "cap.namespace",
        E,
        "Không phải bản tin CAP 1.2: phần tử gốc là {detail}.",
        "Not a CAP 1.2 message: the root element is {detail}.",
    ),
    Rule(
        "cap.container",
        W,
        "Tệp là một tập hợp gồm {detail} bản tin CAP (không phải một bản tin CAP); "
        "các bản tin được tách riêng.",
        "The file is a container of {detail} CAP alerts (not itself CAP); "
        "the alerts were split out.",
    ),
    Rule(
        "cap.xsd",
        E,
        "Sai lược đồ CAP 1.2 (XSD): {detail}",
        "Does not match the CAP 1.2 schema (XSD): {detail}",
    ),
    # What the schema cannot say.
    Rule(
        "cap.identifier.chars",
        E,
        "Mã cảnh báo (identifier) không được chứa dấu cách, dấu phẩy, '<' hoặc '&': {detail}",
        "The identifier must not contain spaces, commas, '<' or '&': {detail}",
    ),
    Rule(
        "cap.sender.chars",
        E,
        "Người gửi (sender) không được chứa dấu cách, dấu phẩy, '<' hoặc '&': {detail}",
        "The sender must not contain spaces, commas, '<' or '&': {detail}",
    ),
    Rule(
        "cap.time.zone",
        E,
        "Thời gian phải có múi giờ, dạng 2024-09-07T14:00:00+07:00: {detail}",
        "Times must carry a time zone, as in 2024-09-07T14:00:00+07:00: {detail}",
    ),
    Rule(
        "cap.expires.order",
        E,
        "Thời điểm hết hiệu lực (expires) không được trước thời điểm có hiệu lực/bắt đầu: {detail}",
        "expires must not be before effective or onset: {detail}",
    ),
    Rule(
        "cap.polygon.format",
        E,
        "Đa giác phải là các cặp 'vĩ độ,kinh độ' cách nhau bởi dấu cách: {detail}",
        "A polygon must be space-separated 'lat,lon' pairs: {detail}",
    ),
    Rule(
        "cap.polygon.points",
        E,
        "Đa giác phải có ít nhất 4 điểm: {detail}",
        "A polygon needs at least 4 points: {detail}",
    ),
    Rule(
        "cap.polygon.closed",
        E,
        "Đa giác phải khép kín (điểm cuối trùng điểm đầu): {detail}",
        "A polygon must be closed (last point equal to the first): {detail}",
    ),
    Rule(
        "cap.polygon.range",
        E,
        "Tọa độ đa giác ngoài phạm vi (vĩ độ −90..90, kinh độ −180..180): {detail}",
        "Polygon coordinate out of range (lat −90..90, lon −180..180): {detail}",
    ),
    Rule(
        "cap.circle.format",
        E,
        "Vòng tròn phải có dạng 'vĩ độ,kinh độ bán_kính' (bán kính tính bằng km): {detail}",
        "A circle must be 'lat,lon radius' (radius in km): {detail}",
    ),
    Rule(
        "cap.circle.range",
        E,
        "Tâm vòng tròn ngoài phạm vi hoặc bán kính âm: {detail}",
        "Circle centre out of range or negative radius: {detail}",
    ),
    Rule(
        "cap.references.missing",
        E,
        "Bản tin Cập nhật/Hủy (Update/Cancel) phải dẫn chiếu (references) bản tin trước.",
        "An Update or Cancel must list the messages it refers to in references.",
    ),
    Rule(
        "cap.references.format",
        E,
        "Dẫn chiếu phải là các bộ 'sender,identifier,sent' cách nhau bởi dấu cách: {detail}",
        "references must be space-separated 'sender,identifier,sent' triples: {detail}",
    ),
    Rule(
        "cap.restriction.missing",
        E,
        "Phạm vi Hạn chế (Restricted) cần nêu hạn chế (restriction).",
        "scope Restricted needs a restriction.",
    ),
    Rule(
        "cap.addresses.missing",
        E,
        "Phạm vi Riêng (Private) cần danh sách người nhận (addresses).",
        "scope Private needs addresses.",
    ),
    # XML-DSig.
    Rule(
        "cap.signature.digest",
        E,
        "Chữ ký số không khớp: nội dung bản tin đã bị thay đổi sau khi ký (sai digest). {detail}",
        "Signature check failed: the message was changed after signing (digest mismatch). {detail}",
    ),
    Rule(
        "cap.signature.value",
        E,
        "Chữ ký số không hợp lệ với khóa công khai kèm theo. {detail}",
        "The signature value does not verify with the embedded key. {detail}",
    ),
    Rule(
        "cap.signature.relaxed",
        W,
        "Chữ ký chỉ đúng khi đọc nới lỏng ({detail}); nơi phát hành đã sửa tệp sau khi ký.",
        "The signature only verifies under a relaxed reading ({detail}); "
        "the producer changed the file after signing.",
    ),
    Rule(
        "cap.signature.unsupported",
        W,
        "Chưa kiểm tra được chữ ký số: {detail}",
        "The signature could not be checked: {detail}",
    ),
    Rule(
        "cap.signature.untrusted",
        W,
        "Chữ ký đúng nhưng được ký bằng khóa chưa được xác minh (không thuộc danh sách tin cậy).",
        "Signed with an unverified key: the signature is correct but the key is not trusted.",
    ),
    # Google and WMO profile advice: warnings, not errors.
    Rule(
        "profile.info.missing",
        W,
        "Bản tin cảnh báo không có khối thông tin (info).",
        "The alert has no info block.",
    ),
    Rule(
        "profile.headline.length",
        W,
        "Tiêu đề dài hơn 160 ký tự ({detail}); có thể bị cắt khi gửi SMS.",
        "The headline is longer than 160 characters ({detail}); SMS may cut it.",
    ),
    Rule(
        "profile.urgency.unknown",
        W,
        "Mức khẩn cấp là Unknown (không rõ).",
        "urgency is Unknown.",
    ),
    Rule(
        "profile.severity.unknown",
        W,
        "Mức nghiêm trọng là Unknown (không rõ).",
        "severity is Unknown.",
    ),
    Rule(
        "profile.certainty.unknown",
        W,
        "Mức chắc chắn là Unknown (không rõ).",
        "certainty is Unknown.",
    ),
    Rule(
        "profile.expires.missing",
        W,
        "Thiếu thời điểm hết hiệu lực (expires).",
        "expires is missing.",
    ),
    Rule(
        "profile.area.missing",
        W,
        "Thiếu khu vực bị ảnh hưởng (area).",
        "No area is given.",
    ),
    Rule(
        "profile.headline.missing",
        W,
        "Thiếu tiêu đề (headline).",
        "headline is missing.",
    ),
    Rule(
        "profile.description.missing",
        W,
        "Thiếu mô tả (description).",
        "description is missing.",
    ),
)


class Issue(NamedTuple):
    """One problem: its rule, the line it is on, and the offending value (shortened).

    The messages are written from the rule's templates when asked for: a message that breaks no
    rule but draws profile advice (most do) should not pay for formatting text nobody reads.
    """

    rule: str
    line: int | None = None
    detail: str = ""

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity

    @property
    def message_vi(self) -> str:
        return RULES[self.rule].template_vi.format(detail=self.detail)

    @property
    def message_en(self) -> str:
        return RULES[self.rule].template_en.format(detail=self.detail)

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi


def make_issue(rule_id: str, line: int | None = None, detail: object = "") -> Issue:
    if rule_id not in RULES:
        raise KeyError(rule_id)
    return Issue(rule_id, line, _shorten(detail if isinstance(detail, str) else str(detail)))


def _shorten(text: str, limit: int = 120) -> str:
    # Hostile or huge values (a 41k-vertex polygon) must not flood a report line.
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CapError(Exception):
    """The bytes are not a usable CAP 1.2 message; `issues` says why (first one is the cause)."""

    def __init__(self, issues: tuple[Issue, ...]) -> None:
        super().__init__("; ".join(f"{i.rule}: {i.message_en}" for i in issues))
        self.issues = issues

    @property
    def rule(self) -> str:
        return self.issues[0].rule

    @classmethod
    def of(cls, rule_id: str, line: int | None = None, detail: object = "") -> CapError:
        return cls((make_issue(rule_id, line, detail),))


def line_of(element: object) -> int | None:
    """An lxml element's source line (lxml-stubs types `sourceline` loosely)."""
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None
