from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("문서 파일"),
        help_text=_("PDF에서 추출한 텍스트(.txt) 또는 JSON(.json), 5MB 이하"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".txt", ".json")):
            raise forms.ValidationError(
                _("%(name)s: .txt 또는 .json 파일이어야 합니다"), params={"name": upload.name}
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("%(name)s: 5MB보다 큽니다"), params={"name": upload.name})
        return upload


class ConfirmImportForm(forms.Form):
    """The parsed documents, signed, carried from the preview to the confirmation."""

    payload = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(widget=forms.HiddenInput)
