"""Labels Wagtail's own forms leave to Django's field-name guess, which no catalogue reaches.

Wagtail's link choosers (rich-text "link to an e-mail address / phone number / anchor") declare
fields without labels, so Django shows "Subject", "Body", "Link text" in English whatever the
language. Setting translatable labels once at start-up puts them through our catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def label_wagtail_link_choosers() -> None:
    from wagtail.admin.forms import choosers

    labels = {
        choosers.EmailLinkChooserForm: {
            "email_address": _("E-mail address"),
            "link_text": _("Link text"),
            "subject": _("Subject"),
            "body": _("Body"),
        },
        choosers.PhoneLinkChooserForm: {
            "phone_number": _("Phone number"),
            "link_text": _("Link text"),
        },
        choosers.AnchorLinkChooserForm: {"link_text": _("Link text")},
    }
    for form, fields in labels.items():
        for name, label in fields.items():
            if name in form.base_fields:
                form.base_fields[name].label = label
