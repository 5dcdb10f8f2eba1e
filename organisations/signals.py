"""Signals other programmes listen to, inside the transaction that sent them.

``member_joined(organisation, user)``: someone now acts for the organisation (an accepted
invitation or staff's addition). The contest records a juror's conflict of interest on it.
"""

from django.dispatch import Signal

member_joined = Signal()
