"""Incremental drift: the tenant log read since a checkpoint, the objects each logged write
touches, the sealed checkpoint, what to read again, and the check, which plans through the
application core. Only the command line imports it."""
