import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '#auth';
import { API_REDIS } from '../redis.provider.js';

const PROBE_TIMEOUT_MS = 2000;

/** 200 `{ status: "ok" }` while the database and the queue backend answer, 503 otherwise. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: DataSource,
    @Inject(API_REDIS) private readonly redis: Redis,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.probe('database', () => this.db.query('SELECT 1')), () => this.probe('redis', () => this.redis.ping())]);
  }

  private async probe<const K extends string>(key: K, ping: () => Promise<unknown>) {
    const session = this.indicators.check(key);
    try {
      await Promise.race([ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS).unref())]);
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
