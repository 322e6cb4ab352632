"""``python -m kompass.cli``, as the ``kompass`` script runs it."""

import sys

from kompass.cli import main

sys.exit(main())
