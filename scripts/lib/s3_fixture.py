"""Test support: fills the local S3 server (moto) the tests start, through boto3, an S3 client
independent of sparkify's own. Not part of sparkify.

    s3_fixture.py ENDPOINT upload BUCKET PREFIX FOLDER   every file under FOLDER, keys PREFIX/relative
    s3_fixture.py ENDPOINT put BUCKET KEY TEXT           one object
    s3_fixture.py ENDPOINT bucket BUCKET                 an empty bucket
    s3_fixture.py ENDPOINT keys                          an IAM user allowed s3:*; prints "ID SECRET"
    s3_fixture.py ENDPOINT auth on|off                   moto checks every signature, or none

moto's check of a signed ListObjectsV2 is wrong for prefixes holding '/' (its server decodes
the query before checking: getmoto/moto#5948, boto3 itself fails it), so tests turn checking on
only around the requests that are about keys.

Keys come from the environment as usual (moto accepts any until `auth`).
"""
import json
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def client(endpoint, service="s3"):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-west-2",
                        config=Config(max_pool_connections=16, retries={"max_attempts": 2}))


def main(endpoint, command, *args):
    s3 = client(endpoint)
    if command == "bucket":
        s3.create_bucket(Bucket=args[0], CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    elif command == "upload":
        bucket, prefix, folder = args
        paths = []
        for root, _, files in os.walk(folder):
            paths += [os.path.join(root, name) for name in files]

        def put(path):
            key = prefix.rstrip("/") + "/" + os.path.relpath(path, folder)
            with open(path, "rb") as body:
                s3.put_object(Bucket=bucket, Key=key, Body=body.read())

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(put, paths))
        print(len(paths))
    elif command == "put":
        bucket, key, text = args
        s3.put_object(Bucket=bucket, Key=key, Body=text.encode())
    elif command == "keys":
        iam = client(endpoint, "iam")
        iam.create_user(UserName="loader")
        iam.put_user_policy(UserName="loader", PolicyName="s3", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="loader")["AccessKey"]
        print(key["AccessKeyId"], key["SecretAccessKey"])
    elif command == "auth":  # the count of requests let through before checks begin
        # text/plain: as a form, Flask would take the body away from moto.
        request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0" if args[0] == "on" else b"inf", method="POST",
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request).read()
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main(*sys.argv[1:])
