"""The app's own modules import no database library: the first frame waits only for what
the library it shows needs (the storage layer decides that)."""

from __future__ import annotations

import subprocess
import sys


def test_the_app_imports_no_database_library():
    code = (
        "import sys, readinglist.ui.app\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'pydantic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]", result.stdout
