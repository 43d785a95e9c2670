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

ROLE_CHOICES = [
    (CALL_TAKER, _("话务员")),
    (DISPATCHER, _("派单员")),
    (SUPERVISOR, _("督办员")),
    (UNIT_HANDLER, _("承办人")),
    (UNIT_ADMIN, _("承办单位管理员")),
    (BUREAU_ADMIN, _("政务服务局管理员")),
    (ANALYST, _("分析员")),
]

# Roles of the hotline centre and the bureau: they work on every order.
CENTRE_ROLES = frozenset({CALL_TAKER, DISPATCHER, SUPERVISOR, BUREAU_ADMIN, ANALYST})
# Roles of a handling unit: they see only orders dispatched to their unit.
UNIT_ROLES = frozenset({UNIT_HANDLER, UNIT_ADMIN})
# Roles that talk to requesters and so need the identity unmasked (each read is audited).
IDENTITY_ROLES = frozenset({CALL_TAKER, SUPERVISOR, UNIT_HANDLER, UNIT_ADMIN})
# Roles that may create orders at intake.
INTAKE_ROLES = frozenset({CALL_TAKER, DISPATCHER, SUPERVISOR})
