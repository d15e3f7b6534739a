"""``python -m talkover``: the ``talkover`` command, for environments without its script."""

import sys

from talkover.cli.main import main

sys.exit(main())
