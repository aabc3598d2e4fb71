"""Vietnamese formats as ward offices write them: 15/09/2026, 07:30 (24 hours), 12,4.

Django's own ``vi`` formats write dates as "Ngày 15 tháng 9 năm 2026" and short dates with
hyphens (15-09-2026), and have no input formats, so Django falls back to the American
``%m/%d/%Y``: "05/06/2026" would be read as 6 May. These formats display and read day first.
The *_FORMAT strings use Django's date syntax; the *_INPUT_FORMATS use strftime syntax.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 15/09/2026
    "%d/%m/%y",  # 15/09/26
    "%d-%m-%Y",  # 15-09-2026
    "%d.%m.%Y",  # 15.09.2026
    "%Y-%m-%d",  # 2026-09-15 (ISO, what browsers' date inputs send)
]
TIME_INPUT_FORMATS = [
    "%H:%M",  # 07:30
    "%H:%M:%S",  # 07:30:59
    "%H:%M:%S.%f",
    "%Hh%M",  # 7h30, as often written
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",  # 15/09/2026 07:30
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",  # ISO, what browsers' datetime-local inputs and APIs send
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
