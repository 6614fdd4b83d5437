"""One small module per flow of the kiosk, each talking only to the shell (kiosk/shell.py)."""
