"""The municipal importer's id and the indicators it fills by default.

Apart from the reader (:mod:`pdsa_core.importing.municipal`) so that registering the
importer (a built-in plugin, at every start of pdsa) does not import the reader.
"""

IMPORTER_ID = "municipal-force"
PERSONS_INDICATOR = "F3"
USES_INDICATOR = "F4"
