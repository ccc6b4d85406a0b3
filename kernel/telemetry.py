"""OpenTelemetry tracing: one provider per process, context carried in gRPC metadata and NATS headers."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import IO, Any

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)

SPANS_FILE_ENV = "OTEL_SPANS_FILE"
_spans_file: IO[str] | None = None


def setup_tracing(service_name: str) -> TracerProvider:
    """Install the process-wide tracer provider.

    OTEL_EXPORTER_OTLP_ENDPOINT sends spans to a collector; OTEL_SPANS_FILE appends them
    as JSON to a file (used by the end-to-end tests to follow one trace across processes).
    """
    global _spans_file
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    spans_path = os.environ.get(SPANS_FILE_ENV)
    if spans_path:
        _spans_file = open(spans_path, "a", encoding="utf-8")  # noqa: SIM115
        exporter = ConsoleSpanExporter(
            out=_spans_file, formatter=lambda span: span.to_json(indent=None) + "\n"
        )
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return provider


def tracer(name: str) -> trace.Tracer:
    """A tracer for a module."""
    return trace.get_tracer(name)


def inject_headers(headers: dict[str, str] | None = None) -> dict[str, str]:
    """Headers carrying the current trace context (for NATS messages)."""
    carrier: dict[str, str] = dict(headers or {})
    propagate.inject(carrier)
    return carrier


def span_from_headers(
    name: str, headers: Mapping[str, str] | None, **attributes: Any
) -> AbstractContextManager[trace.Span]:
    """A consumer span continuing the trace carried in a message's headers."""
    return consumer_span(name, propagate.extract(dict(headers or {})), [], attributes)


def span_from_many(
    name: str, headers: Sequence[Mapping[str, str] | None], **attributes: Any
) -> AbstractContextManager[trace.Span]:
    """A consumer span handling several messages at once: it continues the first message's trace
    and links every message's (OpenTelemetry's convention for batch processing)."""
    contexts = [propagate.extract(dict(carried or {})) for carried in headers]
    links = [trace.Link(span_context) for span_context in
             (trace.get_current_span(carried).get_span_context() for carried in contexts)
             if span_context.is_valid]
    return consumer_span(name, contexts[0], links, attributes)


@contextmanager
def consumer_span(name: str, parent: context.Context, links: list[trace.Link],
                  attributes: dict[str, Any]) -> Iterator[trace.Span]:
    """A consumer span, child of the parent context, with links to other messages' spans."""
    token = context.attach(parent)
    try:
        with tracer("billing.messaging").start_as_current_span(
            name, kind=trace.SpanKind.CONSUMER, links=links, attributes=attributes
        ) as span:
            yield span
    finally:
        context.detach(token)
