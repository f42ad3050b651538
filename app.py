"""Web chat: python app.py [--host 127.0.0.1] [--port 7860] [--index-dir DIR] (the shell lives in web/)."""

import sys

from web.app import main

if __name__ == "__main__":
    sys.exit(main())
