from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pctt.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from pctt.accounts import signals  # noqa: F401  (connects sign-in receivers)
        from pctt.accounts.upstream_labels import label_wagtail_link_choosers

        label_wagtail_link_choosers()

        from django.db.backends.signals import connection_created

        from pctt.formats.collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="pctt-vi-collation")
