"""``python -m pdsa_cli`` is the ``pdsa`` command."""

from pdsa_cli import main

main()
