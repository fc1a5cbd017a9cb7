"""Each step of an application: its input form and its action, for the page and the API."""

from qingdan.policies import actions
from qingdan.policies import forms as f

ACTIONS = {
    "request_info": (f.RequestInfoForm, actions.request_info),
    "resubmit": (f.ResubmitForm, actions.resubmit),
    "add_materials": (f.AddMaterialsForm, actions.add_materials),
    "approve": (f.NoteForm, actions.approve),
    "refuse": (f.RefuseForm, actions.refuse),
    "pay": (f.PayForm, actions.pay),
    "withdraw": (f.EmptyForm, actions.withdraw),
}
