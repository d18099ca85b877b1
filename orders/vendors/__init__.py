"""The vendors' APIs we call: Square's Orders API, Deliverect's KDS API.

Plain functions over httpx, called only from outside any transaction (the scheduler's
jobs, or a request after its commit). Each raises `VendorError` on failure; the
callers retry with back-off.
"""
