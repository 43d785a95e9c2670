"""Roles (R5.1) and what each may see and do.

Kept as plain data so that views, the API and services ask the same questions.
"""

from django.utils.translation import gettext_lazy as _

CALL_TAKER = "call_taker"
DISPATCHER = "dispatcher"
SUPERVISOR = "supervisor"
UNIT_HANDLER = "unit_handler"
UNIT_ADMIN = "unit_admin"
BUREAU_ADMIN = "bureau_admin"
ANALYST = "analyst"
# Oversight (article 5): governments that co-ordinate and check, and read without acting.
DISTRICT_OVERSIGHT = "district_oversight"
CITY_OVERSIGHT = "city_oversight"

ROLE_CHOICES = [
    (CALL_TAKER, _("话务员")),
    (DISPATCHER, _("派单员")),
    (SUPERVISOR, _("督办员")),
    (UNIT_HANDLER, _("承办人")),
    (UNIT_ADMIN, _("承办单位管理员")),
    (BUREAU_ADMIN, _("政务服务局管理员")),
    (ANALYST, _("分析员")),
    (DISTRICT_OVERSIGHT, _("区政府督查")),
    (CITY_OVERSIGHT, _("市政府督查")),
]

# Roles of the hotline centre and the bureau: they work on every order.
CENTRE_ROLES = frozenset({CALL_TAKER, DISPATCHER, SUPERVISOR, BUREAU_ADMIN, ANALYST})
# Roles of a handling unit: they see only orders dispatched to their unit.
UNIT_ROLES = frozenset({UNIT_HANDLER, UNIT_ADMIN})
# Roles that talk to requesters and so need the identity unmasked (each read is audited).
IDENTITY_ROLES = frozenset({CALL_TAKER, SUPERVISOR, UNIT_HANDLER, UNIT_ADMIN})
# Roles that may create orders at intake.
INTAKE_ROLES = frozenset({CALL_TAKER, DISPATCHER, SUPERVISOR})
# Read-only oversight of orders, scores and overdue lists; never identities, never actions.
OVERSIGHT_ROLES = frozenset({DISTRICT_OVERSIGHT, CITY_OVERSIGHT})
# Roles that may flag a caller and give a warning (R9.1): those who take and review calls.
CALLER_WARNING_ROLES = frozenset({CALL_TAKER, DISPATCHER, SUPERVISOR})
# Referral to the police and lifting a flag weigh more: a supervisor's decision.
CALLER_DECISION_ROLES = frozenset({SUPERVISOR, BUREAU_ADMIN})
