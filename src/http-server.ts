import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from './logger.ts';

/**
 * The bot's HTTP server: health endpoints always, the playground when enabled. Bad requests get
 * a JSON `{ error }` with a 4xx status; only real server faults answer 500.
 */
export function createHttpServer(logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // Per-request lines would drown the log under load; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) logger.error({ err: error }, 'http request failed');
    const message = status === 500 ? 'Something went wrong on our side. Please try again.' : error.message.replace(/^Body /, 'Request body ');
    void reply.status(status).send({ error: message });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: `Nothing at ${request.method} ${request.url}` });
  });
  app.get('/healthz', () => ({ status: 'ok' }));
  return app;
}
