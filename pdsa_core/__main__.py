"""``python -m pdsa_core`` is the ``pdsa`` command."""

from pdsa_core.cli import main

main()
