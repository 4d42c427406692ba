// Every entity, in the list the DataSource registers.
import { AppSettingEntity } from './app-setting.entity.js';
import { AuditChainEntity } from './audit-chain.entity.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { EvidenceEntity } from './evidence.entity.js';
import { FollowUpPolicyEntity } from './follow-up-policy.entity.js';
import { InspectionEntity } from './inspection.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { OrganisationEntity } from './organisation.entity.js';
import { RecommendationMonthDeltaEntity } from './recommendation-month-delta.entity.js';
import { RecommendationStateCountEntity } from './recommendation-state-count.entity.js';
import { RecommendationEntity } from './recommendation.entity.js';
import { UserOrganisationEntity } from './user-organisation.entity.js';
import { UserEntity } from './user.entity.js';
import { WebhookAttemptEntity, WebhookDeliveryEntity, WebhookSubscriptionEntity } from './webhook.entity.js';

export {
  AppSettingEntity,
  AuditChainEntity,
  AuditEventEntity,
  EvidenceEntity,
  FollowUpPolicyEntity,
  InspectionEntity,
  NotificationEntity,
  OrganisationEntity,
  RecommendationEntity,
  RecommendationMonthDeltaEntity,
  RecommendationStateCountEntity,
  UserEntity,
  UserOrganisationEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookSubscriptionEntity,
};

/** Every entity of the schema, for `DataSource` options and `TypeOrmModule.forFeature`. */
export const entities = [
  OrganisationEntity,
  UserEntity,
  UserOrganisationEntity,
  FollowUpPolicyEntity,
  InspectionEntity,
  RecommendationEntity,
  EvidenceEntity,
  AuditEventEntity,
  AuditChainEntity,
  NotificationEntity,
  AppSettingEntity,
  RecommendationMonthDeltaEntity,
  RecommendationStateCountEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
];
