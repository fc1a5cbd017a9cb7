"""Each thing a person can do to a problem: its input (a form — fields, bounds, lookups —
defined once) and its action. The web page and the REST API both dispatch through this table,
so whatever can be done on the page can be done through ``/api/v1`` with the same rules."""

from qingdan.problems import actions
from qingdan.problems import forms as f

# action → (input form, action function). Each form's action_kwargs() gives the arguments.
ACTIONS = {
    "accept": (f.NoteForm, actions.accept),
    "decline": (f.ReasonForm, actions.decline),
    "merge": (f.MergeForm, actions.merge),
    "assign": (f.AssignForm, actions.assign),
    "sign": (f.NoteForm, actions.sign_for),
    "return": (f.ReasonForm, actions.return_task),
    "reject_return": (f.ReasonForm, actions.reject_return),
    "progress": (f.ProgressForm, actions.report_progress),
    "request_extension": (f.ExtensionForm, actions.request_extension),
    "approve_extension": (f.ApproveExtensionForm, actions.approve_extension),
    "refuse_extension": (f.ReasonForm, actions.refuse_extension),
    "complete": (f.CompleteForm, actions.complete),
    "rate": (f.RateForm, actions.rate),
    "close": (f.CloseForm, actions.close),
    "reopen": (f.ReasonForm, actions.reopen),
    "add_info": (f.AddInfoForm, actions.add_info),
    "relate": (f.RelateForm, actions.relate),
    "urge": (f.UrgeForm, actions.urge),
    "supervise": (f.SuperviseForm, actions.supervise),
    "supervision_reply": (f.SupervisionReplyForm, actions.reply_to_supervision),
    "close_supervision": (f.NoteForm, actions.close_supervision),
    "reassign": (f.ReassignForm, actions.reassign),
    "instruct": (f.InstructForm, actions.instruct),
    "acknowledge_instruction": (f.AcknowledgeForm, actions.acknowledge_instruction),
    "follow_up": (f.FollowUpForm, actions.follow_up),
}
# "redo" is what "rate" does with an unsatisfied answer: one form serves both.
FORM_FOR = {"redo": "rate"}
# Steps no person takes (the reminder ladder), and steps of other domains shown on a problem.
# An interview concerns a unit and several tasks: its own page and operation.
NOT_COMMANDS = {
    "escalate",
    "interview",
    "challenge_publish",
    "challenge_select",
    "challenge_accept",
}
