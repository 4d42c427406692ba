// OpenTelemetry tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test gives its own processors); spans,
// context carried in job data, trace ids for log lines.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export { SpanKind, type Span } from '@opentelemetry/api';

let provider: NodeTracerProvider | undefined;

/**
 * Starts tracing once per process: spans go to `${endpoint}/v1/traces` (OTLP over HTTP), or to `processors`
 * (tests: the SDK's in-memory exporter). With neither, nothing is registered and every span below is a no-op.
 */
export function startTracing(
  service: string,
  endpoint: string | undefined = process.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
  processors?: SpanProcessor[],
): NodeTracerProvider | undefined {
  if (provider) return provider;
  const spanProcessors =
    processors ??
    (endpoint
      ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }))]
      : []);
  if (spanProcessors.length === 0) return undefined;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }),
    spanProcessors,
  });
  // W3C trace context and an AsyncLocalStorage context manager: a span started in a request is the parent of what that
  // request awaits.
  provider.register();
  return provider;
}

/** Flushes and stops (process shutdown). */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

const tracer = () => trace.getTracer('followup-tracker');

/** Runs `work` in a new active span, child of the current one; records a throw and ends the span either way. */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Starts a span for work that ends later (an HTTP request); `run` executes with it active. */
export function startSpanFrom(
  carrier: Record<string, unknown>,
  name: string,
  kind: SpanKind,
  run: (span: Span) => void,
): void {
  const parent = propagation.extract(context.active(), carrier);
  const span = tracer().startSpan(name, { kind }, parent);
  context.with(trace.setSpan(parent, span), () => run(span));
}

/** The current trace context as a small object to carry in a job's data (empty when tracing is off). */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** `{ trace }` to spread into a job's data, or nothing when tracing is off (job data stays as it was). */
export function traceField(): { trace?: Record<string, string> } {
  const carrier = traceCarrier();
  return Object.keys(carrier).length > 0 ? { trace: carrier } : {};
}

/** Runs `work` in the trace context a job carried. */
export function withTraceCarrier<T>(carrier: Record<string, string> | undefined, work: () => T): T {
  return context.with(propagation.extract(context.active(), carrier ?? {}), work);
}

/** Runs `work` outside any trace (work done for many callers at once belongs to none of their traces). */
export function outsideAnyTrace<T>(work: () => T): T {
  return context.with(ROOT_CONTEXT, work);
}

/** `{ trace_id, span_id }` of the active span, for log lines (nothing when there is none). */
export function traceLogFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span || !span.isRecording()) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
