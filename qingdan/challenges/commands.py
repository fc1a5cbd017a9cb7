"""Each step of a challenge: its input form (defined once) and its action. The web page and the
REST API both dispatch through this table."""

from qingdan.challenges import actions
from qingdan.challenges import forms as f
from qingdan.problems.forms import AcknowledgeForm, InstructForm

# action → (input form, action function)
ACTIONS = {
    "publish": (f.EmptyForm, actions.publish),
    "apply": (f.ApplyForm, actions.apply),
    "withdraw": (f.EmptyForm, actions.withdraw),
    "start_review": (f.EmptyForm, actions.start_review),
    "score": (f.ScoreForm, actions.score),
    "select": (f.SelectForm, actions.select),
    "sign_letter": (f.EmptyForm, actions.sign_letter),
    "report_milestone": (f.MilestoneReportForm, actions.report_milestone),
    "request_change": (f.ChangeRequestForm, actions.request_change),
    "decide_change": (f.DecideChangeForm, actions.decide_change),
    "deliver": (f.NoteForm, actions.deliver),
    "rate": (f.RateForm, actions.rate),
    "accept": (f.AcceptForm, actions.accept),
    "republish": (f.RepublishForm, actions.republish),
    "instruct": (InstructForm, actions.instruct),
    "acknowledge_instruction": (AcknowledgeForm, actions.acknowledge_instruction),
}
