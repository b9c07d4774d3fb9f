"""images.edit calls through the official openai Python SDK, answered as JSON lines.

spec/clients/python-sdk.test.ts runs it once with the venv of requirements.txt (importing
the SDK takes about a second, so one process serves the whole suite) and asserts on what it
prints. Each call is one line of JSON on stdin, and its answer one line on stdout with the
same "id":

  {"id": 1, "base_url": ..., "api_key": ...,
   "client": {"async": false, "max_retries": 0, "timeout": 60},
   "params": {...},                    # keyword arguments of client.images.edit
   "extra_headers": {...}}             # optional, e.g. {"x-sandbox-scenario": "timeout"}

Two other calls take the same line with a "call" key:
  "call": "files.create"  params are keyword arguments of client.files.create (its file as below)
  "call": "post"          params are the JSON body of client.post(path, ...) (a JSON edit), "path" given

A file in params (image, mask, or each item of an image list) is given as
  {"open": path}                             -> open(path, "rb"), as the SDK's examples do
  {"tuple": [filename, path, content_type]}  -> (filename, bytes, content_type)
  {"bytes": path}                            -> the raw bytes, no name and no type

Answers:
  {"ok": true, "client": "OpenAI", "result": "ImagesResponse", "request_id": ...,
   "response": {...as the SDK parsed it...}, "images": [image, ...]}
  {"ok": true, "client": "AsyncOpenAI", "result": "AsyncStream",
   "events": [{...each event as the SDK parsed it..., "image": image}, ...]}  stream=True
  {"ok": false, "error": {"class", "classes", "status_code", "request_id", "type", "code",
                          "param", "message", "body"}}                         an APIError
  {"ok": false, "exception": traceback}                                   anything else
where every image is decoded by Pillow, all of its pixels:
  {"format": "PNG", "width", "height", "mode": "RGBA", "alpha_range": [min, max] or null,
   "sha256": of the bytes as received}
"""
import asyncio
import base64
import contextlib
import hashlib
import io
import json
import sys
import traceback
import urllib.request

import openai
from PIL import Image

# Served image urls point at the sandbox on loopback: never through a proxy from the environment.
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def as_file(spec, files):
    """A file parameter in the form the caller hands it to the SDK; open files join `files` to be closed after the call."""
    if isinstance(spec, list):
        return [as_file(item, files) for item in spec]
    if "open" in spec:
        return files.enter_context(open(spec["open"], "rb"))
    if "bytes" in spec:
        with open(spec["bytes"], "rb") as f:
            return f.read()
    filename, path, content_type = spec["tuple"]
    with open(path, "rb") as f:
        return (filename, f.read(), content_type)


def edit_arguments(request, files):
    arguments = dict(request["params"])
    for name in ("image", "mask"):
        if name in arguments:
            arguments[name] = as_file(arguments[name], files)
    if request.get("extra_headers"):
        arguments["extra_headers"] = request["extra_headers"]
    return arguments


def decode(data):
    """Pillow reads every pixel (a truncated or corrupt image raises here)."""
    image = Image.open(io.BytesIO(data))
    image.load()
    alpha = list(image.getchannel("A").getextrema()) if "A" in image.getbands() else None
    return {
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "mode": image.mode,
        "alpha_range": alpha,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def image_bytes(item):
    if item.b64_json is not None:
        return base64.b64decode(item.b64_json)
    with NO_PROXY.open(item.url) as response:
        return response.read()


def response_summary(result):
    return {
        "result": type(result).__name__,
        "request_id": result._request_id,
        "response": result.model_dump(mode="json", exclude_unset=True),
        "images": [decode(image_bytes(item)) for item in result.data],
    }


def event_summary(event):
    summary = event.model_dump(mode="json", exclude_unset=True)
    summary["image"] = decode(base64.b64decode(event.b64_json))
    return summary


def error_summary(error):
    return {
        "class": type(error).__name__,
        "classes": [c.__name__ for c in type(error).__mro__ if c.__module__.startswith("openai")],
        "status_code": getattr(error, "status_code", None),
        "request_id": getattr(error, "request_id", None),
        "type": error.type,
        "code": error.code,
        "param": error.param,
        "message": error.message,
        "body": error.body,
    }


def client_options(request):
    options = request.get("client", {})
    return {
        "base_url": request["base_url"],
        "api_key": request["api_key"],
        "max_retries": options.get("max_retries", 0),
        "timeout": options.get("timeout", 60),
    }


def other_call(client, request, files):
    """files.create, or a JSON edit through client.post (the SDK sends images.edit as multipart only)."""
    if request["call"] == "files.create":
        arguments = dict(request["params"])
        arguments["file"] = as_file(arguments["file"], files)
        created = client.files.create(**arguments)
        return {"result": type(created).__name__, "request_id": created._request_id, "response": created.model_dump(mode="json", exclude_unset=True)}
    return response_summary(client.post(request["path"], body=request["params"], cast_to=openai.types.ImagesResponse))


def edit_sync(request):
    with openai.OpenAI(**client_options(request)) as client, contextlib.ExitStack() as files:
        if request.get("call"):
            return other_call(client, request, files)
        result = client.images.edit(**edit_arguments(request, files))
        if request["params"].get("stream"):
            return {"result": type(result).__name__, "events": [event_summary(event) for event in result]}
        return response_summary(result)


async def edit_async(request):
    async with openai.AsyncOpenAI(**client_options(request)) as client:
        with contextlib.ExitStack() as files:
            result = await client.images.edit(**edit_arguments(request, files))
        if request["params"].get("stream"):
            return {"result": type(result).__name__, "events": [event_summary(event) async for event in result]}
        return response_summary(result)


def answer(request):
    is_async = request.get("client", {}).get("async", False)
    try:
        output = asyncio.run(edit_async(request)) if is_async else edit_sync(request)
        return {"ok": True, "client": "AsyncOpenAI" if is_async else "OpenAI", **output}
    except openai.APIError as error:
        return {"ok": False, "error": error_summary(error)}
    except Exception:  # a bug in this program or a call the SDK refuses: the test shows the traceback
        return {"ok": False, "exception": traceback.format_exc()}


def main():
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            print(json.dumps({"id": request.get("id"), **answer(request)}), flush=True)


if __name__ == "__main__":
    main()
