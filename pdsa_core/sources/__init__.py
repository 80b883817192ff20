"""Data sources that are queried rather than exported (Danmarks Statistik's Statbank, population rates).

Files exported from a system, such as a municipality's force registrations, are read by
:mod:`pdsa_core.importing`.
"""
