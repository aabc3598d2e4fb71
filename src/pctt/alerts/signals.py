"""Signals other apps listen to, so that alerts need not know them."""

from django.dispatch import Signal

#: Sent after the transaction that issued a message (Alert, Update or Cancel) commits;
#: `alert` is the issued message. The portal rebuilds its snapshots on it.
warning_issued = Signal()
