from accounts.decorators import permission_view

from ..permissions import COOPERATIONS_AREA


def with_revision(data, revision: int):
    """A copy of submitted form data whose hidden revision is the current one, so that after a
    conflict the user can review the other person's changes and save again on purpose."""
    data = data.copy()
    for key in list(data):
        if key == "expected_revision" or key.endswith("-expected_revision"):
            data[key] = str(revision)
    return data


# Sign-in required (anonymous → sign-in page), then a role that uses cooperations at all (else
# 403). Object views then look the record up among those the user may see (else 404).
area_required = permission_view(COOPERATIONS_AREA)
