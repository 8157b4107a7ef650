from django import forms


class FindChildForm(forms.Form):
    case_ref = forms.CharField(
        label="Case reference",
        max_length=50,
        help_text="The case management system's reference, for example C1001.",
        error_messages={"required": "Enter the child's case reference"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )


class LegalHoldForm(forms.Form):
    hold = forms.ChoiceField(choices=[("on", "on"), ("off", "off")], widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why"},
    )

    def __init__(self, *args, placing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hold"].initial = "on" if placing else "off"
        if placing:
            self.fields["reason"].label = "Why must this child's records be kept?"
            self.fields["reason"].help_text = (
                "For example, a claim, complaint, court case or inquiry, and its reference. "
                "Do not include details of the child's circumstances."
            )
            self.fields["reason"].error_messages["required"] = "Enter why the records must be kept"
        else:
            self.fields["reason"].label = "Why can the legal hold be removed?"
            self.fields["reason"].error_messages["required"] = (
                "Enter why the legal hold can be removed"
            )
