from pctt.library.models.audio import PageAudio
from pctt.library.models.base import LibraryPage
from pctt.library.models.index_page import LibraryIndexPage
from pctt.library.models.pages import (
    PAGE_TYPES,
    ArticlePage,
    GoodDeedStoryPage,
    GuidancePage,
    InfographicPage,
    LoudspeakerScriptPage,
    NewsletterPage,
    PolicySummaryPage,
    QuestionPage,
    VideoPage,
)
from pctt.library.models.taxonomy import Audience, HazardType, SynonymSet, Theme
from pctt.library.models.workflow import OrganisationApprovalTask

__all__ = [
    "PAGE_TYPES",
    "ArticlePage",
    "Audience",
    "GoodDeedStoryPage",
    "GuidancePage",
    "HazardType",
    "InfographicPage",
    "LibraryIndexPage",
    "LibraryPage",
    "LoudspeakerScriptPage",
    "NewsletterPage",
    "OrganisationApprovalTask",
    "PageAudio",
    "PolicySummaryPage",
    "QuestionPage",
    "SynonymSet",
    "Theme",
    "VideoPage",
]
