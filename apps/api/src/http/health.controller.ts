// /health: whether the database and the queue backend answer, for anyone; the drivers' details for an administrator.
import { Controller, Get, Inject, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Role } from '#domain';
import { Storage } from '#persistence';
import { API_REDIS } from '../redis.provider.js';
import type { AuthenticatedRequest } from './actor.decorator.js';
import { HealthResponse } from '../shared/dto/health.dto.js';
import { ApiEndpoint, ApiPublic } from './openapi.js';

const PROBE_TIMEOUT_MS = 2000;

/**
 * 200 `{ status: "ok", checks }` while the database and the queue backend answer, 503 otherwise. Anyone
 * sees only up or down; what the drivers said (host names, error messages) is for an administrator's token.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly storage: Storage,
    @Inject(API_REDIS) private readonly redis: Redis,
  ) {}

  @ApiPublic()
  @ApiEndpoint('Whether the database and the queue backend answer', {
    status: 200,
    body: HealthResponse,
    also: [{ status: 503, description: 'The database or the queue backend does not answer', type: HealthResponse }],
  })
  @Get()
  async check(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    const result = await this.run();
    const checks = Object.fromEntries(Object.entries(result.details).map(([name, detail]) => [name, detail.status]));
    response.status(result.status === 'ok' ? 200 : 503);
    return request.actor?.role === Role.Admin
      ? { status: result.status, checks, details: result.details }
      : { status: result.status, checks };
  }

  private async run(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.probe('database', () => this.storage.ping()),
        () => this.probe('redis', () => this.redis.ping()),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
      throw error;
    }
  }

  private async probe<const K extends string>(key: K, ping: () => Promise<unknown>) {
    const session = this.indicators.check(key);
    try {
      await Promise.race([
        ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS).unref()),
      ]);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
