"""Role predicates (django-rules), the building blocks of every app's permissions.

Each app names its own permissions once, as constants in `<app>/permissions.py`, and registers
them there with these predicates. Views, services and templates' context import the constants;
object scoping (which cooperations a focal point sees) lives in each app's selectors.
"""

from typing import cast

import rules
from rules import Predicate

from .roles import FOCAL_POINT, MANAGER, ODES_SPECIALIST, OEA_STAFF

# rules builds Predicate objects (which combine with | and &) but annotates them as callables.
is_oea_staff = cast(Predicate, rules.is_group_member(OEA_STAFF))
is_focal_point = cast(Predicate, rules.is_group_member(FOCAL_POINT))
is_odes_specialist = cast(Predicate, rules.is_group_member(ODES_SPECIALIST))
is_manager = cast(Predicate, rules.is_group_member(MANAGER))
is_administrator = cast(Predicate, rules.is_superuser)
