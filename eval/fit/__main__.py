"""python -m eval.fit: refit the passage reranker and the answer scorer."""

import sys

from .refit import main

sys.exit(main())
