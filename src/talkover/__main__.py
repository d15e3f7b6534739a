"""``python -m talkover``: the ``talkover`` command (as ``python -m talkover.cli``)."""

import sys

from talkover.cli.main import main

sys.exit(main())
