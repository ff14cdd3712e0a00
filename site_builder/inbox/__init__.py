"""`site-builder inbox`: the key service's spool of sealed replies → Markdown replies (opened with
the school units' private keys, checked against the register) and a printable overview per group.

In: the export (register, config), the master key, the spool, the school keys. Out: files under
the replies folder (export/replies.py), the spool's taken-in replies marked done.
"""
