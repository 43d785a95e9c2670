from . import roles as role_defs


def roles(request):
    """What the navigation needs to know about the person asking."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", "") if user and user.is_authenticated else ""
    return {
        "user_role": role,
        "is_centre": role in role_defs.CENTRE_ROLES,
        "is_unit": role in role_defs.UNIT_ROLES,
        "can_intake": role in role_defs.INTAKE_ROLES,
        "can_dispatch": role in {role_defs.DISPATCHER, role_defs.SUPERVISOR},
        "can_visit": role == role_defs.SUPERVISOR,
        "can_publish": role in {role_defs.SUPERVISOR, role_defs.BUREAU_ADMIN},
        "can_assess": role
        in {role_defs.SUPERVISOR, role_defs.ANALYST, role_defs.BUREAU_ADMIN, role_defs.DISPATCHER}
        | role_defs.UNIT_ROLES
        | role_defs.OVERSIGHT_ROLES,
        "can_oversee": role in role_defs.OVERSIGHT_ROLES,
        "can_manage_unit": role == role_defs.UNIT_ADMIN,
        "can_review_conduct": role in {role_defs.SUPERVISOR, role_defs.BUREAU_ADMIN},
        "can_warn_callers": role in role_defs.CALLER_WARNING_ROLES | role_defs.CALLER_DECISION_ROLES,
    }
