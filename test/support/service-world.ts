// The application services built by hand on a fresh, migrated PostgreSQL database, for the service tests: no Nest,
// no HTTP, no Redis; the queue ports record what the services ask for after each commit.
import { loadConfig } from '../../config/index.js';
import {
  InspectionPublishing,
  InspectionsService,
  NotificationPlanner,
  OrganisationsService,
  PoliciesService,
  RecommendationsService,
  Replanning,
  ToDoService,
  UsersService,
  WebhookPlanner,
  type DueDeliveryJob,
  type DueWork,
} from '../../libs/application/src/index.js';
import { type DomainError, Role, type Actor } from '../../libs/domain/src/index.js';
import { Storage } from '../../libs/persistence/src/index.js';
import { migratedDataSource, type MigratedDataSource } from './database.js';

export interface ServiceWorld {
  db: MigratedDataSource;
  inspections: InspectionsService;
  publishing: InspectionPublishing;
  recommendations: RecommendationsService;
  toDo: ToDoService;
  storage: Storage;
  /** Moves the services' clock to `at`. */
  setNow(at: Date): void;
  users: UsersService;
  organisations: OrganisationsService;
  policies: PoliciesService;
  /** Dispatch-slot jobs and webhook delivery jobs asked for, in order. */
  slotJobs: DueWork[];
  deliveryJobs: DueDeliveryJob[];
  /** An active person with this role (and these forces), straight into the tables. */
  person(role: Role, email: string, organisationIds?: string[]): Promise<Actor>;
  /** A force, straight into the table; its id. */
  force(code: string): Promise<string>;
  /** How many rows `sql` counts (one `count(*)` column named n). */
  count(sql: string, params?: unknown[]): Promise<number>;
}

/** The world at `now` (a clock that moves only when told). */
export async function serviceWorld(now: Date): Promise<ServiceWorld> {
  const db = await migratedDataSource();
  const config = loadConfig({});
  const storage = new Storage(db.ds);
  let current = now;
  const clock = { now: () => current };
  const slotJobs: DueWork[] = [];
  const deliveryJobs: DueDeliveryJob[] = [];
  const webhooks = new WebhookPlanner(
    storage,
    { addDeliveryJobs: async (jobs) => void deliveryJobs.push(...jobs) },
    config,
  );
  const planner = new NotificationPlanner(config);
  const replanning = new Replanning(
    storage,
    planner,
    { addSlotJobs: async (due) => void slotJobs.push(...due) },
    webhooks,
    config,
    clock,
  );
  return {
    db,
    inspections: new InspectionsService(clock, storage, replanning),
    publishing: new InspectionPublishing(clock, storage, replanning),
    recommendations: new RecommendationsService(storage, replanning, clock, config),
    toDo: new ToDoService(storage, planner, clock),
    storage,
    setNow: (at) => void (current = at),
    users: new UsersService(storage, clock, replanning),
    organisations: new OrganisationsService(storage, clock),
    policies: new PoliciesService(storage, clock),
    slotJobs,
    deliveryJobs,
    async person(role, email, organisationIds = []) {
      const [{ id }] = await db.ds.query(
        `INSERT INTO users (email, name, password_hash, role) VALUES ($1, $1, 'x', $2) RETURNING id`,
        [email, role],
      );
      for (const organisationId of organisationIds)
        await db.ds.query(`INSERT INTO user_organisations (user_id, organisation_id) VALUES ($1, $2)`, [
          id,
          organisationId,
        ]);
      return { id, role, organisationIds };
    },
    async force(code) {
      return (await db.ds.query(`INSERT INTO organisations (name, code) VALUES ($1, $1) RETURNING id`, [code]))[0].id;
    },
    async count(sql, params = []) {
      return (await db.ds.query(sql, params))[0].n;
    },
  };
}

/** The stable code of the domain error a call was refused with, or `taken` when it was not refused. */
export const refusal = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'taken',
    (error: DomainError) => error.code,
  );

export { Role };
