from __future__ import annotations

from django.utils import translation
from wagtail.admin.forms.choosers import EmailLinkChooserForm, PhoneLinkChooserForm


def test_wagtails_link_choosers_label_their_fields_in_vietnamese() -> None:
    with translation.override("vi"):
        email = EmailLinkChooserForm()
        phone = PhoneLinkChooserForm()
        labels = [str(email.fields[name].label) for name in ("subject", "body", "link_text")]
        assert labels == ["Tiêu đề", "Nội dung", "Chữ hiển thị của liên kết"]
        assert str(phone.fields["phone_number"].label) == "Số điện thoại"
    with translation.override("en"):
        assert str(EmailLinkChooserForm().fields["subject"].label) == "Subject"
