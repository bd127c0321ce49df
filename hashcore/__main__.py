"""`python -m hashcore PATH...`: see hashcore.cli."""

import sys

from .cli import main

sys.exit(main())
