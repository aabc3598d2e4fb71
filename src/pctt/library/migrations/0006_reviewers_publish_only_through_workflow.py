"""Content reviewers no longer hold `publish_page` on the library (issue 7): with it they could
publish past the Party Building Board's approval. Installs whose library was set up before this
(`pctt.library.setup.ensure_library`, run by the demo) have that grant stored; remove it.

Group names are the role names of `pctt.accounts.roles` when this was written, frozen here."""

from django.db import migrations

ROLE_GROUPS = ("Người duyệt nội dung", "Biên tập viên")


def revoke_publish(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    LibraryIndexPage = apps.get_model("library", "LibraryIndexPage")
    for path in LibraryIndexPage.objects.values_list("path", flat=True):
        GroupPagePermission.objects.filter(
            group__name__in=ROLE_GROUPS,
            permission__content_type__app_label="wagtailcore",
            permission__codename="publish_page",
            page__path__startswith=path,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0005_admin_search_index"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
    ]
    # Not restored on reverse: the grant was the flaw.
    operations = [migrations.RunPython(revoke_publish, migrations.RunPython.noop)]
