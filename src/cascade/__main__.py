"""`python -m cascade`: the same as the `cascade` command."""

import sys

from cascade.cli import main

sys.exit(main())
