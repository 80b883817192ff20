"""Data sources that are queried rather than exported: Danmarks Statistik, municipal systems."""
