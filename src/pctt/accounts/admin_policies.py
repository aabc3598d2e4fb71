"""Back-office screens that must not offer some actions on a model.

Wagtail 8's ModelViewSet has no ``add_view_enabled``/``edit_view_enabled`` switch (setting one is
silently ignored), so a screen that should be read-only kept its "Add" button and edit form. A
permission policy that refuses those actions hides the buttons and answers 403 at the URLs, for
every user, superusers included: the model is changed elsewhere (an actions-layer page, an
import, the warning workflow) where its own rules are enforced.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

__all__ = ["refuse_in_admin"]


class RefusingPermissionPolicy(ModelPermissionPolicy):  # type: ignore[misc]
    def __init__(self, model: type[Model], refused: Iterable[str]) -> None:
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action not in self.refused and bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> Any:
        return super().users_with_any_permission([a for a in actions if a not in self.refused])


def refuse_in_admin(model: type[Model], *actions: str) -> None:
    """Refuse *actions* ("add", "change", "delete") on *model* in Wagtail's generic screens."""
    register_permission_policy(model, RefusingPermissionPolicy(model, actions), exact_class=True)
