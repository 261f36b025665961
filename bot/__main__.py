"""`python -m bot` is the `hemmaplan` command."""

from bot.cli import main

if __name__ == "__main__":
    main()
