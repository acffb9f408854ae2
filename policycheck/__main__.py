import sys

from policycheck.cli.main import main

sys.exit(main())
