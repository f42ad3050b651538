"""python -m eval.bench: speed and memory figures."""

import sys

from .speed import main

sys.exit(main())
