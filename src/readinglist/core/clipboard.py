"""Copying text with the system clipboard, when this machine has one."""

from __future__ import annotations

__all__ = ["copy_to_system_clipboard"]


def copy_to_system_clipboard(text: str) -> bool:
    """Copy with pyperclip; False when no clipboard mechanism exists (SSH, headless, tmux)."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception:  # pyperclip raises its own and OS errors for a missing clipboard
        return False
    return True
