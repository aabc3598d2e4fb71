"""The real browser's fixtures, for the CSP checks in a browser."""

from tests.browser.conftest import browser, page  # noqa: F401
