"""Stage seal: plaintext → ciphertext that only the planned readers can open.

In: plaintext bytes (bundles, attachments) and the plan's readers. Out: blobs encrypted under a
fresh random key and written content-addressed (blobs.py, one `BlobRecord` each), and one
keyring per reader naming every blob the reader may open with its key (keyrings.py).
"""
