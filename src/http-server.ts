import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from './logger.ts';
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from './store/availability.ts';

export interface ReadinessCheck {
  name: string;
  /** Resolves with a short reason when not ready, undefined when ready. */
  check(): Promise<string | undefined>;
}

export interface HttpServerOptions {
  readiness?: ReadinessCheck[];
  metrics?: { contentType: string; metrics(): Promise<string> };
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: ReadinessCheck): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().catch((error: unknown) => (error instanceof Error ? error.message : String(error))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The bot's HTTP server: /healthz (the process is up), /readyz (it can serve: database, tutor
 * index, platforms), /metrics (Prometheus), and the playground when enabled. Bad requests get a
 * JSON `{ error }` with a 4xx status; only real server faults answer 500.
 */
export function createHttpServer(logger: Logger, options: HttpServerOptions = {}): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // Per-request lines would drown the log under load; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  // Responses finished after shutdown began close their connection; otherwise a keep-alive socket
  // that was busy when close() started would hold the server open until its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error }, 'http request failed: database unavailable');
      return reply.status(503).send({ error: DATABASE_UNAVAILABLE });
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) logger.error({ err: error }, 'http request failed');
    const message = status === 500 ? 'Something went wrong on our side. Please try again.' : error.message.replace(/^Body /, 'Request body ');
    void reply.status(status).send({ error: message });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `Nothing at ${request.method} ${request.url}` });
  });

  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const checks = options.readiness ?? [];
    const results = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c)] as const));
    const failing = results.filter(([, problem]) => problem !== undefined);
    const body = {
      status: failing.length ? 'not ready' : 'ready',
      checks: Object.fromEntries(results.map(([name, problem]) => [name, problem === undefined ? 'ok' : problem])),
    };
    return reply.status(failing.length ? 503 : 200).send(body);
  });

  const { metrics } = options;
  if (metrics) {
    app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  }
  return app;
}
