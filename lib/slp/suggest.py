"""The "did you mean" hint that error messages give for a misspelt name.

Examples
--------
>>> did_you_mean("Lewishem", ["Lewisham", "Greenwich"])
" (did you mean 'Lewisham'?)"
>>> did_you_mean("Atlantis", ["Lewisham", "Greenwich"])
''
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: object, choices: Iterable[object]) -> str:
    """``" (did you mean 'X'?)"`` for the closest of ``choices`` to ``word``, else ``""``.

    Parameters
    ----------
    word : object
        What was found (compared as text).
    choices : iterable
        What was expected (compared as text).

    Returns
    -------
    str
        The hint, with its leading space, ready to put after the name in a message.
    """
    match = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
