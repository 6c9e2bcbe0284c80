from .playbooks import NewVersionForm, StepForm, TaskForm
from .referrals import DirectoryForm, ReferralAgreementForm, ReferralSignatoryForm
from .registry import InstrumentForm
from .selfchecks import (
    ImprovementActionForm,
    ImprovementStatusForm,
    RatingsForm,
    StartSelfCheckForm,
)

__all__ = [
    "DirectoryForm",
    "ImprovementActionForm",
    "ImprovementStatusForm",
    "InstrumentForm",
    "NewVersionForm",
    "RatingsForm",
    "ReferralAgreementForm",
    "ReferralSignatoryForm",
    "StartSelfCheckForm",
    "StepForm",
    "TaskForm",
]
