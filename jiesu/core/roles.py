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
CALLER_WARNING_ROLES = INTAKE_ROLES
# The centre's actors on an order in flight: they review and dispatch, transfer it to a
# neighbour hotline, supervise its handling, decide extensions (R12.3, R19.1, R21.1).
DISPATCH_ROLES = frozenset({DISPATCHER, SUPERVISOR})
# Decisions that weigh more than a day's work: referral of a caller to the police, quality
# marks, supervision cases, assessment figures, publishing a case (R9.1, R25.1, R27.1, R30.1).
DECIDER_ROLES = frozenset({SUPERVISOR, BUREAU_ADMIN})
CALLER_DECISION_ROLES = DECIDER_ROLES
# The centre's return visits are a supervisor's work (R23.1).
VISITOR_ROLES = frozenset({SUPERVISOR})


def has_role(user, allowed) -> bool:
    """The one guard: the user's role is among `allowed`, or the user is a superuser. Works for
    anonymous users and service users alike (no role attribute: not allowed)."""
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", None) in allowed


def is_centre_actor(user) -> bool:
    """A dispatcher or a supervisor (or a superuser): acts on orders for the centre."""
    return has_role(user, DISPATCH_ROLES)


def is_decider(user) -> bool:
    """A supervisor or a bureau administrator (or a superuser)."""
    return has_role(user, DECIDER_ROLES)


def oversight_district_id(user) -> int | None:
    """The district a district-oversight user answers for: its government unit's district (the
    orders' visibility, the oversight pages, assessment and insight all ask it)."""
    unit = getattr(user, "unit", None)
    return getattr(unit, "district_id", None) or getattr(unit, "territory_id", None)
