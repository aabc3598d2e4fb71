"""Putting the library in place: its index page, who may do what, and the review workflow.

Workflow (issue 7, item 2): an editor drafts and submits → a content reviewer of an organisation
reviews → a content reviewer who acts for the Party Building Board approves, which publishes
(or schedules, when the page has a "go live" date). Comments and revisions are Wagtail's.

Nobody publishes past the workflow: no role holds `publish_page` (only superusers publish
directly); the final approval publishes through
`pctt.library.permissions.publish_approved_workflow`.
A change to a live page is a new draft that goes through the workflow again while the live
version stays up.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from pctt.accounts.roles import RoleKey, group_for
from pctt.library.models import LibraryIndexPage, OrganisationApprovalTask
from pctt.plans.models import Organisation

INDEX_SLUG = "thu-vien-kien-thuc"
INDEX_TITLE = "Thư viện kiến thức phòng, chống thiên tai"
WORKFLOW_NAME = "Duyệt nội dung thư viện"
REVIEW_TASK = "Tổ chức duyệt nội dung"
BOARD_TASK = "Ban Xây dựng Đảng phê duyệt"

# Exactly these on the library for these roles: `publish_page` (which also unpublishes) would let
# a reviewer publish without the Party Building Board's approval.
PAGE_PERMISSIONS = {
    RoleKey.EDITOR: ("add_page", "change_page"),
    RoleKey.CONTENT_REVIEWER: ("add_page", "change_page"),
}
MEDIA_PERMISSIONS = (
    ("wagtailimages", "image", ("add_image", "change_image", "choose_image")),
    ("wagtaildocs", "document", ("add_document", "change_document", "choose_document")),
)


def _site_root() -> Page:
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        return site.root_page
    return Page.get_first_root_node().get_children().first() or Page.get_first_root_node()


def ensure_index_page() -> LibraryIndexPage:
    existing = LibraryIndexPage.objects.first()
    if existing is not None:
        return existing
    index = LibraryIndexPage(
        title=INDEX_TITLE,
        slug=INDEX_SLUG,
        intro="Kỹ năng, hỏi đáp, bản tin và chương trình loa của phường — đọc, nghe và tìm kiếm.",
    )
    _site_root().add_child(instance=index)
    index.save_revision().publish()
    return index


def _grant_permissions(index: LibraryIndexPage) -> None:
    page_type = ContentType.objects.get_for_model(Page)
    for role, codenames in PAGE_PERMISSIONS.items():
        group = group_for(role)
        for codename in codenames:
            permission = Permission.objects.get(content_type=page_type, codename=codename)
            GroupPagePermission.objects.get_or_create(
                group=group, page=index, permission=permission
            )
        # Exact, like sync_roles: an earlier install granted reviewers publish_page here.
        GroupPagePermission.objects.filter(group=group, page=index).exclude(
            permission__codename__in=codenames
        ).delete()
        root_collection = Collection.get_first_root_node()
        for app_label, model, media_codenames in MEDIA_PERMISSIONS:
            for codename in media_codenames:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, content_type__model=model, codename=codename
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def ensure_workflow(index: LibraryIndexPage) -> Workflow:
    reviewers = group_for(RoleKey.CONTENT_REVIEWER)
    review, _ = GroupApprovalTask.objects.get_or_create(name=REVIEW_TASK)
    review.groups.add(reviewers)
    board, _ = OrganisationApprovalTask.objects.get_or_create(
        name=BOARD_TASK, defaults={"organisation_kind": Organisation.Kind.PARTY_BUILDING_BOARD}
    )
    board.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for order, task in enumerate([review, board]):
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def ensure_library() -> LibraryIndexPage:
    """Idempotent; the demo and `pctt library setup` call it. Roles must exist (sync_roles)."""
    index = ensure_index_page()
    _grant_permissions(index)
    ensure_workflow(index)
    return index
