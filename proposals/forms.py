from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from catalogue.models import Area, Audience
from cms.uploads import validate_upload

from .models import BudgetLine, DemandTopic, Milestone, Proposal, TeamMember


class TopicForm(forms.ModelForm):
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = DemandTopic
        fields = ["title", "description", "audience", "area"]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if len(title) < 2:
            raise ValidationError(_("Give the topic a title of at least two characters."))
        return title


class TopicFilterForm(forms.Form):
    audience = forms.ModelChoiceField(Audience.objects.all(), required=False, label=_("audience"))
    area = forms.ModelChoiceField(Area.objects.all(), required=False, label=_("area"))


class NewProposalForm(forms.Form):
    title = forms.CharField(label=_("course title"), max_length=200)
    institution = forms.ModelChoiceField(queryset=None, label=_("on behalf of"), empty_label=None)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class ProposalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Proposal
        fields = ["title", "summary", "syllabus_outline", "learning_outcomes", "delivery_mode"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4}),
                   "syllabus_outline": forms.Textarea(attrs={"rows": 10}),
                   "learning_outcomes": forms.Textarea(attrs={"rows": 5})}


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["name", "role", "cv"]

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv and hasattr(cv, "content_type"):  # a new upload, not the stored file
            validate_upload(cv)
        return cv


TeamFormSet = inlineformset_factory(Proposal, TeamMember, form=TeamMemberForm, extra=1, can_delete=True,
                                    max_num=30, validate_max=True)
MilestoneFormSet = inlineformset_factory(Proposal, Milestone, fields=["title", "due_date", "description"], extra=1,
                                         can_delete=True, max_num=50, validate_max=True,
                                         widgets={"due_date": forms.DateInput(attrs={"type": "date"}),
                                                  "description": forms.Textarea(attrs={"rows": 2})})
BudgetFormSet = inlineformset_factory(Proposal, BudgetLine, fields=["item", "amount"], extra=1, can_delete=True,
                                      max_num=100, validate_max=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file (PDF, DOCX or image)"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.mime = validate_upload(uploaded)
        return uploaded
