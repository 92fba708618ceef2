"""Allow ``python -m zhaoshang_xls``."""

from zhaoshang_xls.cli import main

if __name__ == "__main__":
    main()
