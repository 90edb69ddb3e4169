#!/usr/bin/env python3
"""Recomputes the SigV4 signature pinned in SigV4SignatureTests with botocore.

Run: python3 sigv4_fixed.py   (needs botocore; the pyenv python that has moto has it)
"""
import datetime
import hashlib
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

BODY = b'{"logGroupName":"/fixed"}'
SIGNED_AT = datetime.datetime(2025, 1, 2, 3, 4, 5)  # UTC

request = AWSRequest(
    method="POST",
    url="https://logs.us-east-1.amazonaws.com/",
    data=BODY,
    headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "Logs_20140328.CreateLogGroup",
        "X-Amz-Content-SHA256": hashlib.sha256(BODY).hexdigest(),
    },
)
credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
with mock.patch("botocore.auth.get_current_datetime", return_value=SIGNED_AT):
    SigV4Auth(credentials, "logs", "us-east-1").add_auth(request)

print(request.headers["X-Amz-Date"])
print(request.headers["Authorization"])
