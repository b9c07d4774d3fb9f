"""client.images.edit(...) as the official openai-python SDK sends it, with httpx alone.

The SDK itself cannot be installed on the test machine; Debian's python3-httpx can. This
script follows the SDK's encoding (see reference/sdk-encoding.md): text fields first as
`str(value)` with booleans as "true"/"false" and None omitted; a single file as `image`, a
list as repeated `image[]`; files given as open binary files (httpx guesses the content type
from the name) or as (filename, bytes, content_type) tuples; the SDK's headers.

Usage: python3 python_sdk_edit.py < request.json, where request.json is
  {"base_url": ..., "api_key": ..., "params": {...}}
and a file in params is {"path": "...", "open": true} (an open file, as in the SDK's own
examples) or {"path": "...", "filename": "...", "content_type": "..."} (a tuple).
Prints {"status", "headers", "body", "sent": {"content_type", "parts"}} as JSON.
"""
import json
import platform
import re
import sys

import httpx

SDK_VERSION = "1.97.0"  # the openai-python release whose encoding this follows
FILE_PARAMS = ("image", "mask")


def as_file(spec):
    """A file parameter the way a caller hands it to the SDK."""
    if spec.get("open"):
        return open(spec["path"], "rb")
    with open(spec["path"], "rb") as f:
        return (spec["filename"], f.read(), spec["content_type"])


def form_value(value):
    """The SDK's scalar encoding: booleans as JSON literals, the rest with str()."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def multipart(params):
    """SDK params -> (data, files) for httpx, as extract_files/_serialize_multipartform do."""
    data = {}
    files = []
    for name, value in params.items():
        if value is None:
            continue  # NOT_GIVEN / None: not sent
        if name in FILE_PARAMS:
            if isinstance(value, list):
                files.extend(("%s[]" % name, as_file(item)) for item in value)
            else:
                files.append((name, as_file(value)))
        else:
            data[name] = form_value(value)
    return data, files


def sdk_headers(api_key):
    """The headers openai-python's sync client sends (_build_headers, platform_headers)."""
    return {
        "Authorization": "Bearer %s" % api_key,
        "Accept": "application/json",
        "User-Agent": "OpenAI/Python %s" % SDK_VERSION,
        "X-Stainless-Lang": "python",
        "X-Stainless-Package-Version": SDK_VERSION,
        "X-Stainless-OS": platform.system() or "Unknown",
        "X-Stainless-Arch": platform.machine() or "unknown",
        "X-Stainless-Runtime": platform.python_implementation(),
        "X-Stainless-Runtime-Version": platform.python_version(),
        "X-Stainless-Async": "false",
        "x-stainless-retry-count": "0",
        "x-stainless-read-timeout": "600.0",
    }


def part_headers(body):
    """Name, filename and content type of every part of the encoded body, in order."""
    parts = []
    for match in re.finditer(rb'Content-Disposition: form-data; name="([^"]*)"(?:; filename="([^"]*)")?\r\n(?:Content-Type: ([^\r]*)\r\n)?', body):
        name, filename, content_type = (g.decode("utf-8") if g is not None else None for g in match.groups())
        parts.append({"name": name, "filename": filename, "content_type": content_type})
    return parts


def main():
    request = json.load(sys.stdin)
    data, files = multipart(request["params"])
    with httpx.Client(base_url=request["base_url"], timeout=600.0) as client:
        built = client.build_request("POST", "/images/edits", data=data, files=files, headers=sdk_headers(request["api_key"]))
        body = built.read()
        response = client.send(built)
    is_json = "application/json" in response.headers.get("content-type", "")
    print(json.dumps({
        "status": response.status_code,
        "headers": dict(response.headers),
        "body": response.json() if is_json else response.text,
        "sent": {"content_type": built.headers["content-type"], "parts": part_headers(body)},
    }))


if __name__ == "__main__":
    main()
