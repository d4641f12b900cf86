"""Who may answer chats; the matrix itself is in ``baken/accounts/permissions.py``."""

import rules


def can_answer_chats(user) -> bool:
    return bool(user and user.is_active and rules.has_perm("chat.answer", user))
