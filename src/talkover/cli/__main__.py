import sys

from talkover.cli.main import main

sys.exit(main())
