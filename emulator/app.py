"""The ASGI application: one entry point for every AWS request, plus Kyu's own /_kyu routes."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from emulator import bootstrap, bootstrap_apply, request_log
from emulator.admin.routes import admin_routes
from emulator.clock import Clock
from emulator.config import Config
from emulator.context import RequestContext
from emulator.errors import AwsError, internal_error, invalid_action, missing_action
from emulator.metrics import Metrics, QueueDepth
from emulator.protocol import (
    body_limit,
    detect,
    json_input,
    json_output,
    model,
    query_input,
    sigv4,
    xml_output,
)
from emulator.protocol.query_traits import SQS_NAMESPACE, SQS_TRAITS
from emulator.request_log import Call
from emulator.service import Service
from emulator.sns.backend import SnsBackend
from emulator.sns.operations import sns_service
from emulator.sns.signing import CERT_PATH_PREFIX
from emulator.sqs.backend import SqsBackend
from emulator.sqs.operations import HANDLERS as SQS_HANDLERS
from emulator.sts.operations import sts_service
from emulator.sts.sessions import StsBackend
from storage.database import Database

log = logging.getLogger("kyu")

JSON_CONTENT_TYPE = "application/x-amz-json-1.0"
XML_CONTENT_TYPE = "text/xml"
EXPIRY_SWEEP_SECONDS = 60


class Kyu:
    """Everything the server holds: configuration, clock, database and service backends."""

    def __init__(self, config: Config, clock: Clock | None = None) -> None:
        self.config = config
        self.clock = clock or Clock()
        path = str(config.data_path) if config.data_path else None
        self.db = Database(path, synchronous=config.synchronous)
        self.sqs = SqsBackend(self.db, self.clock)
        self.metrics = Metrics()
        self.services: dict[str, Service] = {}
        self.register(Service(
            "sqs", model.sqs_model(), SQS_HANDLERS, self.sqs, SQS_NAMESPACE, SQS_TRAITS,
            json_target_prefix=detect.SQS_TARGET_PREFIX,
        ))
        self.sts = StsBackend(self.clock, config.account_id)
        self.register(sts_service(self.sts))
        self.sns = SnsBackend(self.db, self.clock, self.sqs)
        self.register(sns_service(self.sns))
        self._sweeper: asyncio.Task[None]
        self.startup_errors: list[str] = []
        self.signing_keys: dict[str, sigv4.SigningKey] = {}
        if config.auth == "sigv4":
            self.signing_keys = sigv4.load_credentials(config.credentials)

    def register(self, service: Service) -> None:
        self.services[service.name] = service

    async def start(self) -> None:
        await self.db.open()
        await self.sqs.load()
        await self.sns.load()
        if self.config.bootstrap is not None:
            await self._bootstrap(self.config.bootstrap)
        self._sweeper = asyncio.create_task(self._sweep_expired())

    async def _bootstrap(self, path: Path) -> None:
        host = self.config.hostname or f"{self.config.host}:{self.config.port}"
        try:
            spec = bootstrap.load(path)
            ctx = RequestContext(
                account_id=spec.account_id or self.config.account_id,
                region=spec.region or self.config.region,
                access_key_id=None, base_url=f"http://{host}", request_id="bootstrap",
            )
            await bootstrap_apply.apply(self.services, spec, ctx)
        except bootstrap.BootstrapError as error:
            self.startup_errors.append(str(error))
            await self.sns.close()
            await self.sqs.close()
            await self.db.close()
            raise

    async def stop(self) -> None:
        self._sweeper.cancel()
        await asyncio.gather(self._sweeper, return_exceptions=True)
        await self.sns.close()
        await self.sqs.close()
        await self.db.close()

    async def _sweep_expired(self) -> None:
        while True:
            await asyncio.sleep(EXPIRY_SWEEP_SECONDS)
            try:
                await self.sqs.delete_expired()
            except Exception:
                log.exception("deleting expired messages failed")

    def context(
        self, request: Request, cred: detect.Credential, request_id: str,
        signer: sigv4.SigningKey | None = None,
    ) -> RequestContext:
        host = (self.config.hostname or request.headers.get("host")
                or f"{self.config.host}:{self.config.port}")
        account = signer.account_id if signer is not None else None
        return RequestContext(
            account_id=account or self.sts.account_for(cred.access_key_id),
            region=cred.region or self.config.region,
            access_key_id=cred.access_key_id,
            base_url=f"{request.url.scheme}://{host}",
            request_id=request_id,
        )

    async def handle_aws(self, request: Request) -> Response:
        started = time.perf_counter()
        call = Call(str(uuid.uuid4()))
        target = request.headers.get("x-amz-target")
        try:
            body = await self._read_body(request)
            signer = self._authenticate(request, body)
        except AwsError as error:
            call.error = error.code
            response = self._reject(request, target, call, error)
        else:
            if target is not None:
                response = await self._handle_json(request, target, call, body, signer)
            else:
                response = await self._handle_query(request, call, body, signer)
        self.metrics.request(call.service, call.operation, response.status_code)
        request_log.record(call, response.status_code, time.perf_counter() - started)
        return response

    async def _read_body(self, request: Request) -> bytes:
        body_limit.check_content_length(request.headers.get("content-length"))
        try:
            return await body_limit.read_capped(request.stream())
        except ClientDisconnect:
            raise AwsError("BadRequest", "The client closed the request early.") from None

    def _authenticate(self, request: Request, body: bytes) -> sigv4.SigningKey | None:
        """In ``--auth sigv4`` mode, the key that signed the request (or AWS's error)."""
        if self.config.auth != "sigv4":
            return None
        headers = {name: ",".join(request.headers.getlist(name)) for name in request.headers}
        return sigv4.verify(
            request.method, request.scope.get("raw_path", b"/").decode("latin-1"),
            request.scope.get("query_string", b"").decode("latin-1"), headers, body,
            # Clients sign with the wall clock, not the emulator's advanceable one.
            self.signing_keys, now=datetime.now(UTC),
        )

    def _reject(
        self, request: Request, target: str | None, call: Call, error: AwsError
    ) -> Response:
        """An error found before the request was parsed, in the request's protocol."""
        if target is not None:
            return _json_error(error, {"x-amzn-RequestId": call.request_id})
        accept_json = "application/json" in request.headers.get("accept", "")
        return _query_error(error, call.request_id, accept_json, SQS_NAMESPACE)

    async def _invoke(
        self, service: Service, name: str, ctx: RequestContext, kwargs: dict[str, Any]
    ) -> dict[str, Any] | None:
        result = await service.handlers[name](service.backend, ctx, **kwargs)
        if service.name == "sqs":
            self.metrics.sqs_result(name, kwargs, result)
        return result

    async def sns_certificate(self, request: Request) -> Response:
        """The PEM certificate that SigningCertURL names, so subscribers can verify signatures."""
        signer = self.sns.signer
        if request.path_params["name"] != signer.certificate_name:
            return PlainTextResponse("Not Found", 404)
        return Response(signer.certificate_pem, media_type="application/x-x509-ca-cert")

    async def metrics_endpoint(self, request: Request) -> Response:
        now_ms = self.clock.now_ms()
        depths = []
        for queue in self.sqs.queues.all():
            counts = await self.sqs.messages.counts(
                queue.id, now=now_ms, alive_after=self.sqs.alive_after(queue, now_ms)
            )
            depths.append(QueueDepth(queue.account, queue.name, counts.visible,
                                     counts.in_flight, counts.delayed))
        return PlainTextResponse(self.metrics.render(depths),
                                 media_type="text/plain; version=0.0.4")

    async def _handle_json(
        self, request: Request, target: str, call: Call, body: bytes,
        signer: sigv4.SigningKey | None,
    ) -> Response:
        request_id = call.request_id
        headers = {"x-amzn-RequestId": request_id}
        try:
            service = self._json_service(target)
            if service is None or service.json_target_prefix is None:
                raise _unknown_operation(target)
            name = target[len(service.json_target_prefix):]
            call.service, call.operation = service.name, name
            operation = model.operation(service.model, name)
            if operation is None or name not in service.handlers:
                raise _unknown_operation(target)
            if detect.queue_path(request.url.path):
                body = _with_queue_url(body, str(request.url.replace(query="")))
            kwargs = json_input.parse_json(operation, body)
            cred = detect.credential(request.headers.get("authorization"), None)
            ctx = self.context(request, cred, request_id, signer)
            call.account = ctx.account_id
            result = await self._invoke(service, name, ctx, kwargs)
            return Response(
                json_output.json_result(operation, result), 200, headers,
                media_type=JSON_CONTENT_TYPE,
            )
        except AwsError as error:
            call.error = error.code
            return _json_error(error, headers)
        except Exception:
            log.exception("request %s failed", request_id)
            return _json_error(internal_error(), headers)

    def _json_service(self, target: str) -> Service | None:
        for service in self.services.values():
            prefix = service.json_target_prefix
            if prefix is not None and target.startswith(prefix):
                return service
        return None

    async def _handle_query(
        self, request: Request, call: Call, body: bytes, signer: sigv4.SigningKey | None
    ) -> Response:
        request_id = call.request_id
        accept_json = "application/json" in request.headers.get("accept", "")
        service = self.services["sqs"]
        try:
            params = query_input.decode_form(request.url.query.encode())
            if request.method == "POST":
                params = {**params, **query_input.decode_form(body)}
            cred = detect.credential(
                request.headers.get("authorization"), params.get("X-Amz-Credential")
            )
            service_name = detect.query_service(cred, params, request.url.path) or "sqs"
            action = params.get("Action")
            if service_name in self.services:
                service = self.services[service_name]
            call.service, call.operation = service_name, action or "unknown"
            if not action:
                raise missing_action()
            if service.name != service_name:
                raise invalid_action(action)
            operation = model.operation(service.model, action)
            if operation is None or action not in service.handlers:
                raise invalid_action(action)
            if (service.name == "sqs" and detect.queue_path(request.url.path)
                    and "QueueUrl" not in params):
                params["QueueUrl"] = str(request.url.replace(query=""))
            kwargs = query_input.parse_query(operation, params, service.traits)
            ctx = self.context(request, cred, request_id, signer)
            call.account = ctx.account_id
            result = await self._invoke(service, action, ctx, kwargs)
            if accept_json:
                body = json_output.query_result_json(operation, result, request_id)
                return Response(body, 200, {"x-amzn-RequestId": request_id},
                                media_type="application/json")
            return Response(
                xml_output.query_result_xml(
                    operation, result, request_id,
                    namespace=service.namespace, traits=service.traits,
                ),
                200, {"x-amzn-RequestId": request_id}, media_type=XML_CONTENT_TYPE,
            )
        except AwsError as error:
            call.error = error.code
            return _query_error(error, request_id, accept_json, service.namespace)
        except Exception:
            log.exception("request %s failed", request_id)
            return _query_error(internal_error(), request_id, accept_json, service.namespace)


def _unknown_operation(target: str) -> AwsError:
    return AwsError(
        "InvalidAction",
        f"The action {target.rsplit('.', 1)[-1]} is not valid for this endpoint.",
        json_type="com.amazon.coral.service#UnknownOperationException",
    )


def _with_queue_url(body: bytes, queue_url: str) -> bytes:
    """A JSON request sent to a queue URL path names its queue by that path."""
    try:
        document = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        return body
    if isinstance(document, dict) and "QueueUrl" not in document:
        document["QueueUrl"] = queue_url
        return json.dumps(document).encode()
    return body


def _json_error(error: AwsError, headers: dict[str, str]) -> Response:
    body, extra = json_output.json_error(error)
    return Response(body, error.status, {**headers, **extra}, media_type=JSON_CONTENT_TYPE)


def _query_error(
    error: AwsError, request_id: str, accept_json: bool, namespace: str
) -> Response:
    headers = {"x-amzn-RequestId": request_id}
    if accept_json:
        return Response(json_output.query_error_json(error, request_id), error.status, headers,
                        media_type="application/json")
    return Response(xml_output.query_error_xml(error, request_id, namespace=namespace),
                    error.status, headers, media_type=XML_CONTENT_TYPE)


def create_app(config: Config, clock: Clock | None = None) -> Starlette:
    kyu = Kyu(config, clock)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await kyu.start()
        app.state.kyu = kyu
        try:
            yield
        finally:
            await kyu.stop()

    routes = [
        *admin_routes(kyu),
        Route("/_kyu/metrics", kyu.metrics_endpoint, methods=["GET"]),
        Route(CERT_PATH_PREFIX + "{name}", kyu.sns_certificate, methods=["GET"]),
        Route("/{path:path}", kyu.handle_aws, methods=["GET", "POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[
        Middleware(bootstrap_apply.ReportStartupFailure, errors=kyu.startup_errors),
    ])
    app.state.kyu = kyu
    return app
